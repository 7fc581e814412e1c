# an IN folder without captures is an error (exit 1), not a silent success;
# hidden files and sub-folders do not count
mkdir empty hidden
touch hidden/.x
mkdir hidden/sub
flowmeter empty out; echo "exit $?"
flowmeter hidden out.csv; echo "exit $?"
flowmeter --concat empty out.csv; echo "exit $?"
ls
