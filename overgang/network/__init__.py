"""The network group of each agreement (N10, N13): its members and chairs, its meetings with
minutes and decisions, and the queue of delimitation questions the agreement does not decide.
Members see no patient: nothing here names one."""
