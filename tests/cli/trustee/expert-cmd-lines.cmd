# a command writing one label per line; it reads the feature columns (not the label)
awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, i % 2 ? "youtube" : "vimeo" }' > flows.csv
cat > expert.sh <<'END'
tee seen.csv | awk -F, 'NR > 1 { print ($1 == 17 ? "youtube" : "vimeo") }'
END
trustee explain flows.csv --expert-cmd 'sh expert.sh' --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1 --json - | sed -n 2,5p
head -3 seen.csv
