#!/bin/bash
# Runs a command where this machine's accounts are private copies, for tests that run the real
# shadow tools (useradd, groupdel, ...):
#   private-accounts.sh DIR COMMAND [ARG...]
# In a new mount namespace (--propagation private: no mount made inside is seen outside):
# - /etc is a copy on a tmpfs. Bind-mounting copies of passwd, group, shadow and gshadow alone
#   does not work: the tools write /etc/passwd+ and rename it over /etc/passwd, and a rename
#   onto a mount point fails (EBUSY), after the temp file and the backup passwd- were written
#   in the real /etc.
# - /home is an empty tmpfs (useradd -m and usermod -m write there).
# - /var is an overlay whose changes go to a tmpfs (lastlog, faillog, mail spools).
# The command is exec'ed. Tests read its files and run more tools through the command itself
# (AccountsChild's stdin), not by its PID (nsenter, /proc/PID/root): a PID reused after the
# command died would be a process in this machine's namespace. `private-accounts.sh DIR true`
# tells whether the mounts can be made here.
set -euo pipefail
R=$(realpath "${1:?scratch dir}"); shift
mkdir -p "$R/etc" "$R/var"
export R
exec unshare --mount --propagation private /bin/bash -c '
  set -e
  mount -t tmpfs -o mode=0755 mgmt-accounts-etc "$R/etc"
  cp -a /etc/. "$R/etc/"
  mount --bind "$R/etc" /etc
  mount -t tmpfs -o mode=0755 mgmt-accounts-home /home
  mount -t tmpfs -o mode=0755 mgmt-accounts-var "$R/var"
  mkdir "$R/var/up" "$R/var/work"
  mount -t overlay mgmt-accounts-var -o "lowerdir=/var,upperdir=$R/var/up,workdir=$R/var/work" /var
  exec "$@"' private-accounts "$@"
