#!/usr/bin/env bash
# Makes a throwaway CA and one TLS keystore per host for an mgmt cluster (tests and demos).
#
#   mgmt-examples/make-certs.sh OUTDIR HOST...
#
# OUTDIR gets:
#   password        the password of every store below (mode 600)
#   ca.p12, ca.pem  the CA's key and its certificate; keep ca.p12 to add hosts later
#   truststore.p12  the CA certificate: --tls-truststore on every host
#   HOST.p12        HOST's key and CA-signed certificate chain: --tls-keystore on HOST
#
# Certificates name HOST, localhost and 127.0.0.1. Running it again keeps the CA, the
# password and existing host keystores, and adds the missing hosts. Needs only bash and
# keytool (and coreutils). Not for production: the CA key sits next to the host keys.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 OUTDIR HOST..." >&2
    exit 2
fi
command -v keytool >/dev/null || { echo "$0: keytool not found (it comes with a JDK)" >&2; exit 1; }

out=$1
shift
mkdir -p "$out"
cd "$out"
umask 077
days=365
log=$(mktemp)
trap 'rm -f "$log" ./*.csr ./*.chain.pem' EXIT

# Keytool is chatty; show its output only when it fails.
kt() {
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
    kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=mgmt throwaway CA" \
        -ext bc:c -ext ku:c=keyCertSign,cRLSign -validity "$days" -keystore ca.p12 "${store[@]}"
    rm -f ca.pem truststore.p12
    made+=(ca.p12)
fi
if [[ ! -f ca.pem ]]; then
    kt -exportcert -rfc -alias ca -keystore ca.p12 "${store[@]}" -file ca.pem
    made+=(ca.pem)
fi
if [[ ! -f truststore.p12 ]]; then
    kt -importcert -noprompt -alias mgmt-ca -file ca.pem -keystore truststore.p12 "${store[@]}"
    made+=(truststore.p12)
fi

for host in "$@"; do
    [[ -f "$host.p12" ]] && continue
    if [[ $host =~ ^[0-9.]+$ || $host == *:* ]]; then
        san="ip:$host"
    else
        san="dns:$host"
    fi
    if [[ $host != localhost ]]; then san="$san,dns:localhost"; fi
    if [[ $host != 127.0.0.1 ]]; then san="$san,ip:127.0.0.1"; fi
    kt -genkeypair -alias "$host" -keyalg EC -groupname secp256r1 -dname "CN=$host" \
        -validity "$days" -keystore "$host.p12" "${store[@]}"
    kt -certreq -alias "$host" -keystore "$host.p12" "${store[@]}" -file "$host.csr"
    kt -gencert -alias ca -keystore ca.p12 "${store[@]}" -infile "$host.csr" -outfile "$host.chain.pem" -rfc \
        -validity "$days" -ext "san=$san" -ext ku:c=digitalSignature -ext eku=serverAuth,clientAuth
    # The reply carries the whole chain, so the host keystore needs no copy of the CA.
    cat ca.pem >>"$host.chain.pem"
    kt -importcert -noprompt -alias "$host" -file "$host.chain.pem" -keystore "$host.p12" "${store[@]}"
    made+=("$host.p12")
done

if [[ ${#made[@]} -eq 0 ]]; then
    echo "$out: nothing to do; everything is there"
else
    echo "$out: made ${made[*]}"
fi
echo "$out: every store's password is in $out/password"
