# --nonfinite takes the shared words: keep (the default: cells copied), error (the first missing or
# non-finite kept cell named by file, line and column, nothing written), drop (the row), zero (the
# cell becomes 0), clip (0, infinities +/- float32's largest, which forest reads back as FLT_MAX);
# other cells of a fixed row keep their bytes; the recipe key takes the same words
printf 'A,B,Label\n1,NaN,x\n2,Infinity,"y,1"\n3,-1e999,z\n4,,w\n5,6,v\n' >in.csv
labeler in.csv >keep.csv && cmp in.csv keep.csv && echo "keep copies"
labeler in.csv --nonfinite keep | cmp - in.csv && echo "keep is the default"
rm -f e.csv
labeler in.csv --nonfinite error -o e.csv; echo "exit $?"
test -e e.csv || echo "nothing written"
printf 'A,B\n1,2\n3,\n' | labeler - --nonfinite error; echo "exit $?"
labeler in.csv --nonfinite drop
labeler in.csv --nonfinite zero
labeler in.csv --nonfinite clip >clip.csv && cat clip.csv
labeler in.csv=L --nonfinite clip --columns B,A
forest train clip.csv --trees 2 --label-column A --exclude Label --nonfinite error -o m.fkm >/dev/null &&
	echo "forest reads the clipped values as finite"
printf 'sources:\n  - path: in.csv\nnonfinite: zero\n' >z.yaml
labeler z.yaml
printf 'sources:\n  - path: in.csv\nnonfinite: error\n' >er.yaml
labeler er.yaml; echo "exit $?"
printf 'sources:\n  - path: in.csv\nnonfinite: nope\n' >bad.yaml
labeler bad.yaml; echo "exit $?"
labeler in.csv --nonfinite nope; echo "exit $?"
