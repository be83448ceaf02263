#!/bin/sh
# Stops and starts the local PostgreSQL and Redis for the load bench's outages (bench/load.rs):
#
#   scripts/load-services.sh stop postgres|redis    stop it (PostgreSQL: fast shutdown; Redis:
#                                                   SHUTDOWN NOSAVE, so nothing is kept)
#   scripts/load-services.sh start postgres|redis   start it and wait until it answers (30 s)
#   scripts/load-services.sh ensure                 start whichever of the two is down
#
# PostgreSQL is the machine's first cluster (pg_ctlcluster, as scripts/setup.sh starts it);
# Redis is started the way scripts/setup.sh starts it: 127.0.0.1:6379, no persistence.
# Needs root (or the postgres user's rights) like scripts/setup.sh.
set -eu

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }
redis_up() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping >/dev/null 2>&1; }

# "<version> <name>" of the first cluster.
cluster() {
  version=$(ls /etc/postgresql 2>/dev/null | head -n 1)
  name=$(ls "/etc/postgresql/$version" 2>/dev/null | head -n 1)
  [ -n "$name" ] || { echo "no PostgreSQL cluster in /etc/postgresql" >&2; exit 1; }
  echo "$version $name"
}

# Waits up to 30 s for "$1" (pg_up or redis_up) to succeed.
wait_for() {
  for _ in $(seq 300); do
    "$1" && return 0
    sleep 0.1
  done
  echo "$2 did not answer within 30 s" >&2
  exit 1
}

start_postgres() {
  pg_up || pg_ctlcluster --skip-systemctl-redirect $(cluster) start
  wait_for pg_up "PostgreSQL on $PG_HOST:$PG_PORT"
}

stop_redis() {
  # The connection closes as Redis exits, so redis-cli reports an error either way.
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  for _ in $(seq 100); do
    redis_up || return 0
    sleep 0.1
  done
  echo "Redis did not stop" >&2
  exit 1
}

start_redis() {
  if ! redis_up; then
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" \
      --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  fi
  wait_for redis_up "Redis on $REDIS_HOST:$REDIS_PORT"
}

case "${1:-} ${2:-}" in
  "stop postgres") pg_ctlcluster --skip-systemctl-redirect $(cluster) stop -m fast ;;
  "start postgres") start_postgres ;;
  "stop redis") stop_redis ;;
  "start redis") start_redis ;;
  "ensure ") start_postgres; start_redis ;;
  *) echo "usage: $0 stop|start postgres|redis, or $0 ensure" >&2; exit 2 ;;
esac
