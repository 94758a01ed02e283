#!/bin/sh
# Writes the broker's definitions (users, vhost, permissions) with the passwords from the
# environment, then starts RabbitMQ. Usage: render-definitions.sh TEMPLATE OUTPUT [COMMAND...]
# The passwords hold only URL-safe characters (checked by deploy/preflight.sh), so sed is safe.
set -eu
template=$1
output=$2
shift 2
umask 077
sed -e "s|\${RABBITMQ_ADMIN_PASSWORD}|${RABBITMQ_ADMIN_PASSWORD}|" \
    -e "s|\${RABBITMQ_SERVICES_PASSWORD}|${RABBITMQ_SERVICES_PASSWORD}|" \
    -e "s|\${RABBITMQ_SUBSCRIBER_PASSWORD}|${RABBITMQ_SUBSCRIBER_PASSWORD}|" \
    "$template" > "$output"
if [ "$#" -gt 0 ]; then exec "$@"; fi
