# a command writing a CSV with a Predicted column (CRLF line ends, quoted labels)
# explains exactly as the predictions file does
awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, i % 2 ? "youtube" : "vimeo" }' > flows.csv
awk -F, 'NR == 1 { print "Predicted"; next } { print ($1 == 17 ? "youtube" : "vimeo") }' flows.csv > pred.csv
cat > expert.sh <<'END'
cat > /dev/null
printf 'Score,Predicted\r\n'
awk 'NR > 1 { printf "1,\"%s\"\r\n", $0 }' pred.csv
END
trustee explain flows.csv --predictions pred.csv --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1 --json - | sed 1,4d > a.json
trustee explain flows.csv --expert-cmd 'sh expert.sh' --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1 --json - | sed 1,4d > b.json
cmp a.json b.json && echo same
