#!/usr/bin/env bash
# --shard K/N: the N shard outputs together hold exactly the rows of the
# unsharded run (as a multiset; only the row order differs), for both
# profiles and decode modes, on real captures with many flows.
set -u
[ -d "$CORPUS/pcaps" ] || { echo "no corpus at $CORPUS"; exit 77; }
status=0 checked=0
for cap in ndpi/gnutella.pcap general/pcpp__tls2.pcap linktypes/zeek__echo-connections.pcap.gz; do
	f="$CORPUS/pcaps/$cap"
	[ -f "$f" ] || continue
	for opts in "--profile cic" "--profile fixed --decode full"; do
		# shellcheck disable=SC2086
		flowmeter $opts "$f" "$T/all.csv" 2>/dev/null || { echo "FAIL $cap $opts: exit $?"; status=1; continue; }
		: > "$T/union"
		for k in 1 2 3; do
			# shellcheck disable=SC2086
			flowmeter $opts --shard "$k/3" "$f" "$T/s$k.csv" 2>"$T/err" ||
				{ echo "FAIL $cap $opts --shard $k/3"; cat "$T/err"; status=1; }
			head -1 "$T/s$k.csv" | cmp -s - <(head -1 "$T/all.csv") ||
				{ echo "FAIL $cap: shard $k header differs"; status=1; }
			tail -n +2 "$T/s$k.csv" >> "$T/union"
		done
		rows=$(($(wc -l < "$T/all.csv") - 1))
		if ! cmp -s <(sort "$T/union") <(tail -n +2 "$T/all.csv" | sort); then
			echo "FAIL $cap $opts: union of 3 shards differs from the full run"
			diff <(sort "$T/union") <(tail -n +2 "$T/all.csv" | sort) | head -4
			status=1
		elif [ "$rows" -lt 100 ]; then
			echo "FAIL $cap: only $rows rows, not a useful test"; status=1
		fi
		# every shard must get something on these captures
		for k in 1 2 3; do
			[ "$(wc -l < "$T/s$k.csv")" -gt 1 ] || { echo "FAIL $cap: shard $k/3 empty"; status=1; }
		done
		checked=$((checked + 1))
	done
done
[ $checked -gt 0 ] || { echo "no shard test capture found"; exit 77; }
echo "report: --shard K/3 union = unsharded output on $checked capture/option runs"
exit $status
