# usage errors exit 2 with a message
flowmeter --names-max 0 --names a b; echo "exit $?"
flowmeter --names-max 10x --names a b; echo "exit $?"
flowmeter --names-max 5 a b; echo "exit $?"
flowmeter --names-max; echo "exit $?"
flowmeter --help | grep -A5 -e '--names '
