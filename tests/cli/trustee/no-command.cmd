trustee
