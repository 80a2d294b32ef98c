"""Agreement versions revised in the app by the agreement's network group (N10): a draft
copied from the version in force, proposed by one member and approved by another, then
published beside the agreement files."""
