# usage errors exit 2 with a message
flowmeter --shard 4/3 a b; echo "exit $?"
flowmeter --shard x a b; echo "exit $?"
flowmeter --flow-timeout -1 a b; echo "exit $?"
flowmeter --flow-timeout 10x a b; echo "exit $?"
flowmeter --idle-timeout 0 a b; echo "exit $?"
flowmeter --profile java a b; echo "exit $?"
flowmeter --decode all a b; echo "exit $?"
flowmeter only-one-arg; echo "exit $?"
flowmeter --profile; echo "exit $?"
# --shard: two strict numbers, 1 <= K <= N <= 1000000 (no wrap-around)
for a in 4294967297/4294967298 1/2x 0/2 1/ /2 1//2 -1/2 1/1000001 ' 1/2'; do
	flowmeter --shard "$a" a b; echo "exit $?"
done
