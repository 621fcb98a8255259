"""The typed SSA IR that every tier executes (ARCHITECTURE.md, "The IR")."""
