# a recipe is capped at 64 MB, read no further: a recipe that never ends
# (/dev/zero behind a .yaml name) is refused at once instead of filling memory
ln -s /dev/zero zero.yaml
timeout 20 labeler zero.yaml; echo "exit $?"	# 124 = still reading after 20 s
# the bound itself: 64 MB of comment lines is read (and is an empty recipe),
# one byte more is refused
python3 -c "import sys; sys.stdout.write(('#' * 1023 + '\n') * 65536)" > max.yaml
labeler max.yaml; echo "exit $?"
{ cat max.yaml; echo; } > over.yaml
labeler over.yaml; echo "exit $?"
