cp "$ROOT"/tests/cli/labeler/data/* . && labeler recipe.yaml
