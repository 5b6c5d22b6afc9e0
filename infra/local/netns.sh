#!/usr/bin/env bash
# netns.sh CMD [ARG...] runs CMD in a private network namespace that has only
# a loopback interface, when one can be made (root, or unprivileged user
# namespaces), so that DynamoDB Local - which listens on every interface -
# is reachable from nowhere else, and nothing the command does can reach
# another host. Otherwise it runs CMD as it is, after saying so.
# ZOHOSYNC_NETNS=0 turns the namespace off.
set -euo pipefail

if [ "${ZOHOSYNC_NETNS:-1}" != 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null; then
	for flags in -n -rn; do
		if unshare $flags sh -c 'ip link set lo up' 2>/dev/null; then
			exec unshare $flags sh -c 'ip link set lo up && exec "$@"' netns "$@"
		fi
	done
fi
echo "note: no private network namespace here (needs root or user namespaces, and iproute2):" \
	"running on the host network; DynamoDB Local listens on all interfaces." >&2
exec "$@"
