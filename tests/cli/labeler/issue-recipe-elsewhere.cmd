# paths in a recipe are relative to the recipe file, not to the working directory
labeler "$ROOT/tests/cli/labeler/data/recipe.yaml" -o out.csv && cp "$ROOT"/tests/cli/labeler/data/* . && labeler recipe.yaml | cmp - out.csv && echo same
