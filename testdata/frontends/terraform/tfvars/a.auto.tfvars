mode = "AllowOnlyApprovedOutbound"
