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
    -e "s|\${RABBITMQ_MEALS_PASSWORD}|${RABBITMQ_MEALS_PASSWORD}|" \
    -e "s|\${RABBITMQ_VOLUNTEERS_PASSWORD}|${RABBITMQ_VOLUNTEERS_PASSWORD}|" \
    -e "s|\${RABBITMQ_COURSES_PASSWORD}|${RABBITMQ_COURSES_PASSWORD}|" \
    -e "s|\${RABBITMQ_REPORTING_PASSWORD}|${RABBITMQ_REPORTING_PASSWORD}|" \
    -e "s|\${RABBITMQ_SUBSCRIBER_PASSWORD}|${RABBITMQ_SUBSCRIBER_PASSWORD}|" \
    "$template" > "$output"
if [ "$#" -gt 0 ]; then exec "$@"; fi
