"""feedback.forms: one module per area. Every answer is validated here and again in the service."""
