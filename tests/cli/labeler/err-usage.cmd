labeler
echo "exit $?"
labeler a.csv --nonfinite maybe
echo "exit $?"
labeler r.yaml --match "Protocol == 6"
echo "exit $?"
labeler a.csv --match
echo "exit $?"
