#!/bin/bash
# A private systemd-hostnamed for tests, that can never rename this machine:
#   private-hostnamed.sh DIR NAME
# runs (and becomes, by exec) a private "system" bus, dbus-daemon, inside a new UTS and mount
# namespace. The bus starts /lib/systemd/systemd-hostnamed on demand, in the same namespaces:
# the kernel name it sets is the namespace's (which starts as NAME), and the /etc it writes
# (hostname, machine-info) is a copy on a tmpfs. Then:
#   DBUS_SYSTEM_BUS_ADDRESS=unix:path=DIR/sysbus.sock
# Stop it by killing this process (hostnamed exits when its bus goes away).
set -euo pipefail
R=$(realpath "${1:?scratch dir}"); NAME=${2:?initial private host name}
mkdir -p "$R/etc" "$R/services"
cat >"$R/services/org.freedesktop.hostname1.service" <<EOT
[D-BUS Service]
Name=org.freedesktop.hostname1
Exec=/lib/systemd/systemd-hostnamed
User=root
EOT
cat >"$R/sysbus.conf" <<EOT
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$R/sysbus.sock</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$R/services</servicedir>
  <policy context="default">
    <allow user="*"/><allow own="*"/><allow send_type="method_call"/>
    <allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
  </policy>
</busconfig>
EOT
export R NAME
# --propagation private: no mount made inside is seen outside.
exec unshare --uts --mount --propagation private bash -c '
  set -e
  mount -t tmpfs -o mode=0755 mgmt-etc "$R/etc"
  cp -a /etc/. "$R/etc/"
  mount --bind "$R/etc" /etc
  hostname "$NAME"
  exec dbus-daemon --config-file="$R/sysbus.conf" --nofork
'
