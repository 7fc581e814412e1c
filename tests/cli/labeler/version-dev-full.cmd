labeler --version > /dev/full
