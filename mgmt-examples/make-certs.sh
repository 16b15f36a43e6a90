#!/usr/bin/env bash
# Makes a throwaway CA and one TLS keystore per host for an mgmt cluster (tests and demos).
#
#   mgmt-examples/make-certs.sh OUTDIR [--admin NAME]... HOST...
#
# OUTDIR gets:
#   password        the password of every store below (mode 600)
#   ca.p12, ca.pem  the CA's key and its certificate; keep ca.p12 to add hosts later
#   truststore.p12  the CA certificate: --tls-truststore on every host
#   HOST.p12        HOST's key and CA-signed certificate chain: --tls-keystore on HOST
#   NAME.p12        with --admin NAME: an admin's certificate (subject CN=NAME, OU=mgmt-admin),
#                   for `mgmt cluster set-ideal-size` and `mgmt cluster volunteer` of other hosts
#
# Certificates name HOST, localhost and 127.0.0.1. Running it again keeps the CA, the
# password and existing host keystores, and adds the missing hosts. Needs only bash and
# keytool (and coreutils). Not for production: the CA key sits next to the host keys.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 OUTDIR [--admin NAME]... HOST..." >&2
    exit 2
fi
command -v keytool >/dev/null || { echo "$0: keytool not found (it comes with a JDK)" >&2; exit 1; }
# --admin NAME: NAME's certificate carries the admin role (OU=mgmt-admin).
out=$1
names=()
declare -A admin=()
shift
while [[ $# -gt 0 ]]; do
    if [[ $1 == --admin ]]; then
        [[ $# -ge 2 ]] || { echo "$0: --admin needs a NAME" >&2; exit 2; }
        admin[$2]=1
        names+=("$2")
        shift 2
    else
        names+=("$1")
        shift
    fi
done
[[ ${#names[@]} -gt 0 ]] || { echo "usage: $0 OUTDIR [--admin NAME]... HOST..." >&2; exit 2; }
set -- "${names[@]}"
for host in "$@"; do
    if [[ -z $host || $host == */* || $host == ca || $host == truststore ]]; then
        echo "$0: '$host' cannot be a host name here" >&2
        exit 2
    fi
done

umask 077
mkdir -p "$out"
cd "$out"
days=365
work=$(mktemp -d)
trap 'rm -rf "$work" ./*.p12.new' EXIT

# Keytool is chatty; show its output only when it fails. $1 names the log (one per host).
kt() {
    local log="$work/$1.log"
    shift
    if ! keytool -J-XX:TieredStopAtLevel=1 "$@" >"$log" 2>&1; then
        echo "$0: keytool $1 failed:" >&2
        cat "$log" >&2
        exit 1
    fi
}

store=(-storepass:file password -storetype PKCS12)

if [[ ! -s password ]]; then
    # 24 letters and digits from the kernel's random pool.
    pw=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24 || true)
    printf '%s\n' "$pw" >password
fi

made=()
if [[ ! -f ca.p12 ]]; then
    # A name of its own: two throwaway CAs must not pass for each other in error messages.
    ca_name="mgmt throwaway CA $(LC_ALL=C tr -dc 'a-f0-9' </dev/urandom | head -c 8 || true)"
    kt ca -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=$ca_name" \
        -ext bc:c -ext ku:c=keyCertSign,cRLSign -validity "$days" -keystore ca.p12 "${store[@]}"
    # A new CA: everything it signs is made again.
    rm -f ca.pem truststore.p12
    for host in "$@"; do rm -f "$host.p12"; done
    made+=(ca.p12)
fi
if [[ ! -f ca.pem ]]; then
    kt ca -exportcert -rfc -alias ca -keystore ca.p12 "${store[@]}" -file ca.pem
    made+=(ca.pem)
fi
if [[ ! -f truststore.p12 ]]; then
    kt ca -importcert -noprompt -alias mgmt-ca -file ca.pem -keystore truststore.p12 "${store[@]}"
    made+=(truststore.p12)
fi

# One host's keystore; it only reads the CA, so hosts are made side by side.
make_host() {
    local host=$1 san
    if [[ $host =~ ^[0-9.]+$ || $host == *:* ]]; then
        san="ip:$host"
    else
        san="dns:$host"
    fi
    if [[ $host != localhost ]]; then san="$san,dns:localhost"; fi
    if [[ $host != 127.0.0.1 ]]; then san="$san,ip:127.0.0.1"; fi
    local dname="CN=$host"
    if [[ -n ${admin[$host]:-} ]]; then dname="CN=$host, OU=mgmt-admin"; fi
    kt "$host" -genkeypair -alias "$host" -keyalg EC -groupname secp256r1 -dname "$dname" \
        -validity "$days" -keystore "$host.p12.new" "${store[@]}"
    kt "$host" -certreq -alias "$host" -keystore "$host.p12.new" "${store[@]}" -file "$work/$host.csr"
    kt "$host" -gencert -alias ca -keystore ca.p12 "${store[@]}" -infile "$work/$host.csr" -outfile "$work/$host.pem" \
        -rfc -validity "$days" -ext "san=$san" -ext ku:c=digitalSignature -ext eku=serverAuth,clientAuth
    # The reply carries the whole chain, so the host keystore needs no copy of the CA.
    cat ca.pem >>"$work/$host.pem"
    kt "$host" -importcert -noprompt -alias "$host" -file "$work/$host.pem" -keystore "$host.p12.new" "${store[@]}"
    mv "$host.p12.new" "$host.p12"
}

pids=()
for host in "$@"; do
    [[ -f "$host.p12" ]] && continue
    rm -f "$host.p12.new"
    make_host "$host" &
    pids+=($!)
    made+=("$host.p12")
done
for pid in ${pids[@]+"${pids[@]}"}; do
    wait "$pid" || exit 1
done

if [[ ${#made[@]} -eq 0 ]]; then
    echo "$out: nothing to do; everything is there"
else
    echo "$out: made ${made[*]}"
fi
echo "$out: every store's password is in $out/password"
