#!/bin/bash
echo "user data ran" >> /var/log/user-data-runs
