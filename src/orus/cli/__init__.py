"""cli layer (see STYLE.md section 1)."""
