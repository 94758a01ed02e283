"""Meals service: meal services of the centres' restaurants, served meals, HACCP kitchen logs."""
