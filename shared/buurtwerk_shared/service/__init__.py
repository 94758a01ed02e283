"""The skeleton every service is built from: one process serving HTTP and AMQP."""
