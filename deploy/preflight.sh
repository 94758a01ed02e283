#!/bin/sh
# Refuses to start the stack while a secret is missing, still the example from env.example, or
# unfit for a connection URL. compose.yaml runs it first; every other service waits for it.
set -u
status=0
refuse() { echo "preflight: $1" >&2; status=1; }

for name in POSTGRES_PASSWORD RABBITMQ_ADMIN_PASSWORD RABBITMQ_MEALS_PASSWORD \
  RABBITMQ_VOLUNTEERS_PASSWORD RABBITMQ_COURSES_PASSWORD RABBITMQ_REPORTING_PASSWORD \
  RABBITMQ_SUBSCRIBER_PASSWORD MEALS_PSEUDONYM_SECRETS VOLUNTEERS_PSEUDONYM_SECRETS \
  COURSES_PSEUDONYM_SECRETS REPORTING_PSEUDONYM_SECRETS BUURTWERK_AUTH__JWKS_URL; do
  eval "value=\${$name:-}"
  case "$value" in
    "") refuse "$name is not set: copy deploy/env.example to deploy/.env and fill it in" ;;
    *CHANGE-ME*) refuse "$name still holds the example value from deploy/env.example" ;;
  esac
done

# Passwords travel inside amqp:// and postgresql:// URLs: keep to characters that need no escaping.
for name in POSTGRES_PASSWORD RABBITMQ_ADMIN_PASSWORD RABBITMQ_MEALS_PASSWORD \
  RABBITMQ_VOLUNTEERS_PASSWORD RABBITMQ_COURSES_PASSWORD RABBITMQ_REPORTING_PASSWORD \
  RABBITMQ_SUBSCRIBER_PASSWORD; do
  eval "value=\${$name:-}"
  case "$value" in
    *[!A-Za-z0-9._~-]*) refuse "$name may hold only letters, digits and . _ ~ -" ;;
  esac
  if [ "${#value}" -lt 16 ]; then refuse "$name is shorter than 16 characters"; fi
done

[ "$status" -eq 0 ] && echo "preflight: the secrets are set"
exit "$status"
