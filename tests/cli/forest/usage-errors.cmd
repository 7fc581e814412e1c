# usage errors exit 2 with a hint
forest train 2>&1; echo "exit $?"
forest train x.csv 2>&1; echo "exit $?"
forest train x.csv -o m --max-features 0 2>&1; echo "exit $?"
forest frobnicate 2>&1; echo "exit $?"
forest train x.csv -o m --trees x 2>&1; echo "exit $?"
forest 2>&1; echo "exit $?"
forest eval --json 2>&1; echo "exit $?"
