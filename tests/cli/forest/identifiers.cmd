# identifier columns are excluded by default and the exclusion is printed
cp $ROOT/tests/cli/forest/data/*.csv .
awk -F, -v OFS=, "NR==1{print \"Flow ID,Src IP\",\$0,\"Timestamp\"; next}{print \"f\"NR,\"10.0.0.\"NR%7,\$0,\"2017-07-07 10:00:\"NR%60}" train.csv > ids.csv
forest train ids.csv -o m.bin --trees 3 -q
forest info m.bin | grep -c "Flow ID" || true
forest train ids.csv -o k.bin --trees 3 -q --keep-identifiers --exclude "Flow ID,Src IP"; echo "exit $?"
