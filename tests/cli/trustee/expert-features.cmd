# without a model file the features are chosen as forest train chooses them
awk 'BEGIN { print "Flow ID,Src IP,Protocol,Flow Duration,Pkts,Label"; for (i = 0; i < 60; i++) printf "f%d,10.0.0.%d,%d,%d,%d,%s\n", i, i, i % 2 ? 17 : 6, (i * 37) % 101, i % 5, i % 2 ? "youtube" : "vimeo" }' > flows.csv
awk -F, 'NR == 1 { print "Predicted"; next } { print ($3 == 17 ? "youtube" : "tiktok") }' flows.csv > pred.csv
trustee explain flows.csv --predictions pred.csv --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1 | head -1
trustee explain flows.csv --predictions pred.csv --exclude Protocol --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1 | head -1
trustee explain flows.csv --predictions pred.csv --features 'Flow Duration' --label-column Label --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1 --json - | grep -E '"(root_feature|score)"'
trustee explain flows.csv --predictions pred.csv --keep-identifiers --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1 | head -1
