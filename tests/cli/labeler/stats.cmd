cp "$ROOT"/tests/cli/labeler/data/* . && labeler recipe.yaml --stats -o out.csv && wc -l < out.csv
