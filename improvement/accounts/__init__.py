"""Accounts and signing in: lockouts, passwords, sessions and the sign-in record."""
