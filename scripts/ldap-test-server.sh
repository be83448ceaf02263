#!/usr/bin/env bash
# A throwaway OpenLDAP server for the LDAP sign-in tests (bff/tests/ldap_directory.rs, Playwright).
#
#   scripts/ldap-test-server.sh start DIR LDAP_PORT LDAPS_PORT
#       (Re)creates the directory in DIR (an existing server there is stopped and its data wiped)
#       and starts slapd on ldap://127.0.0.1:LDAP_PORT/ (StartTLS offered) and
#       ldaps://127.0.0.1:LDAPS_PORT/. Returns once both answer; prints slapd's PID on stdout
#       (also in DIR/slapd.pid). Fails (exit 1, slapd's log on stderr) when it cannot start.
#   scripts/ldap-test-server.sh stop DIR
#       Stops the server started in DIR (nothing to do when none runs). DIR itself is kept.
#
# Optional environment:
#   LDAP_TEST_CERT, LDAP_TEST_KEY  a PEM certificate and key for slapd's TLS (default: a test CA
#                                  and a server certificate for 127.0.0.1 and localhost, made
#                                  with openssl into DIR once and kept across restarts)
#   LDAP_TEST_CA                   the PEM of the CA that issued LDAP_TEST_CERT
#   LDAP_TEST_START_TIMEOUT        seconds to wait for slapd to answer (default 20)
#
# What DIR holds: slapd.conf, data/ (mdb), slapd.pid, slapd.log (slapd's stats log), ca.pem
# (the CA to trust: pass it as ldap.ca_file), server.pem and server.key.
#
# The directory: base dc=example,dc=com, people from end2end/ldap/seed.ldif (their passwords are
# listed there), groups (groupOfNames, with memberOf maintained by the memberof overlay) from
# end2end/ldap/groups.ldif. Accounts:
#   cn=portal,ou=services,dc=example,dc=com / portal-service-password  service account: may
#       search and read everything except passwords
#   cn=admin,dc=example,dc=com / admin-password  rootdn, for ldapmodify in tests
# People may only bind (they cannot read the directory). A tiny schema adds Active Directory's
# sAMAccountName (OID 1.2.840.113556.1.4.221) through the auxiliary class portalTestAdAccount.
#
# slapd and ldap-utils (Debian packages) are installed with apt-get when slapd is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SEED="$ROOT/end2end/ldap/seed.ldif"
GROUPS_LDIF="$ROOT/end2end/ldap/groups.ldif"
SUFFIX="dc=example,dc=com"
ROOTDN="cn=admin,$SUFFIX"
ROOTPW="admin-password"
SLAPD=/usr/sbin/slapd
SLAPADD=/usr/sbin/slapadd

say() { printf '[ldap-test-server] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
usage() {
  sed -n '2,10p' "$0" >&2
  exit 2
}

install_slapd() {
  [ -x "$SLAPD" ] && command -v ldapwhoami >/dev/null 2>&1 && return 0
  say "installing Debian slapd and ldap-utils"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq slapd ldap-utils >/dev/null ||
    { $SUDO apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq slapd ldap-utils >/dev/null; }
  [ -x "$SLAPD" ] || die "slapd is still missing after apt-get install"
}

# The PID in DIR/slapd.pid when that process is a running slapd, else nothing.
running_pid() { # dir
  local pid
  [ -f "$1/slapd.pid" ] || return 0
  pid=$(tr -dc '0-9' <"$1/slapd.pid")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = slapd ] &&
    echo "$pid"
  return 0
}

stop() { # dir
  local dir=$1 pid deadline
  pid=$(running_pid "$dir")
  if [ -z "$pid" ]; then
    rm -f "$dir/slapd.pid"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 10))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    say "slapd $pid did not stop within 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/slapd.pid"
}

make_certificates() { # dir
  local dir=$1
  if [ -n "${LDAP_TEST_CERT:-}" ] || [ -n "${LDAP_TEST_KEY:-}" ]; then
    [ -r "${LDAP_TEST_CERT:-}" ] && [ -r "${LDAP_TEST_KEY:-}" ] ||
      die "LDAP_TEST_CERT and LDAP_TEST_KEY must both name readable PEM files"
    cp "$LDAP_TEST_CERT" "$dir/server.pem"
    cp "$LDAP_TEST_KEY" "$dir/server.key"
    if [ -n "${LDAP_TEST_CA:-}" ]; then cp "$LDAP_TEST_CA" "$dir/ca.pem"; else cp "$LDAP_TEST_CERT" "$dir/ca.pem"; fi
    return 0
  fi
  [ -s "$dir/ca.pem" ] && [ -s "$dir/server.pem" ] && [ -s "$dir/server.key" ] && return 0
  say "making a test CA and a server certificate for 127.0.0.1 in $dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=Pexip Portal test LDAP CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  cat >"$dir/server.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EOF
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 3650 -extfile "$dir/server.ext" \
    -out "$dir/server.pem" 2>/dev/null
  rm -f "$dir/server.csr" "$dir/server.ext"
  chmod 600 "$dir/server.key" "$dir/ca.key"
}

write_config() { # dir
  local dir=$1
  cat >"$dir/slapd.conf" <<EOF
# Generated by scripts/ldap-test-server.sh: a throwaway test directory.
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema

# Active Directory's logon name, for (sAMAccountName={username}) filters.
attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.4203.666.11.990.1 NAME 'portalTestAdAccount'
  DESC 'test only: carries sAMAccountName' SUP top AUXILIARY MAY sAMAccountName )

pidfile $dir/slapd.pid
argsfile $dir/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
moduleload refint

TLSCACertificateFile $dir/ca.pem
TLSCertificateFile $dir/server.pem
TLSCertificateKeyFile $dir/server.key

database mdb
suffix "$SUFFIX"
rootdn "$ROOTDN"
rootpw $ROOTPW
directory $dir/data
maxsize 67108864
index objectClass eq
index uid,mail,sAMAccountName,cn eq
index member eq

overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf
memberof-refint TRUE

overlay refint
refint_attributes member

# People may only bind; the service account may read everything but passwords.
access to attrs=userPassword
  by anonymous auth
  by * none
access to *
  by dn.exact="cn=portal,ou=services,$SUFFIX" read
  by anonymous auth
  by * none
EOF
}

answers() { # ldap-url
  LDAPTLS_CACERT="$DIR/ca.pem" LDAPTLS_REQCERT=demand \
    ldapwhoami -x -o nettimeout=2 -H "$1" -D "$ROOTDN" -w "$ROOTPW" >/dev/null 2>&1
}

start() {
  local pid deadline
  install_slapd
  [ -r "$SEED" ] && [ -r "$GROUPS_LDIF" ] || die "missing $SEED or $GROUPS_LDIF"
  stop "$DIR"
  rm -rf "$DIR/data" "$DIR/slapd.log"
  mkdir -p "$DIR/data"
  make_certificates "$DIR"
  write_config "$DIR"
  "$SLAPADD" -q -f "$DIR/slapd.conf" -l "$SEED" >"$DIR/slapadd.log" 2>&1 ||
    { cat "$DIR/slapadd.log" >&2; die "slapadd failed"; }
  # In the foreground (-d: its log goes to slapd.log), in a session of its own, so that it
  # outlives this script and holds no pipe of the caller open.
  setsid "$SLAPD" -d 256 -f "$DIR/slapd.conf" \
    -h "ldap://127.0.0.1:$LDAP_PORT/ ldaps://127.0.0.1:$LDAPS_PORT/" \
    </dev/null >"$DIR/slapd.log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + ${LDAP_TEST_START_TIMEOUT:-20}))
  until answers "ldap://127.0.0.1:$LDAP_PORT/" && answers "ldaps://127.0.0.1:$LDAPS_PORT/"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$DIR/slapd.log" >&2
      die "slapd exited during start-up (ports $LDAP_PORT/$LDAPS_PORT in use?)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$DIR/slapd.log" >&2
      kill -TERM "$pid" 2>/dev/null || true
      die "slapd did not answer within ${LDAP_TEST_START_TIMEOUT:-20} s"
    fi
    sleep 0.1
  done
  ldapadd -x -H "ldap://127.0.0.1:$LDAP_PORT/" -D "$ROOTDN" -w "$ROOTPW" -f "$GROUPS_LDIF" \
    >"$DIR/ldapadd.log" 2>&1 || { cat "$DIR/ldapadd.log" >&2; stop "$DIR"; die "loading the groups failed"; }
  pid=$(running_pid "$DIR")
  [ -n "$pid" ] || die "slapd answers but wrote no $DIR/slapd.pid"
  say "slapd $pid: ldap://127.0.0.1:$LDAP_PORT/ ldaps://127.0.0.1:$LDAPS_PORT/ (CA: $DIR/ca.pem)"
  echo "$pid"
}

case "${1:-}" in
  start)
    [ $# -eq 4 ] || usage
    mkdir -p "$2"
    DIR=$(cd "$2" && pwd)
    LDAP_PORT=$3
    LDAPS_PORT=$4
    start
    ;;
  stop)
    [ $# -eq 2 ] || usage
    [ -d "$2" ] || exit 0
    DIR=$(cd "$2" && pwd)
    stop "$DIR"
    ;;
  *) usage ;;
esac
