labeler --version
