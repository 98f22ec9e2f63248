#!/bin/bash
# A Slurm array that grades a class in 4 parts at once: each task grades the
# share of its SLURM_ARRAY_TASK_ID (counted from the array's first, here 1)
# with --partition auto. Submit it from the class's folder (the one holding
# class.toml) with `sbatch slurm-grade-class.sh`; once the array has finished,
# merge the parts with the job that follows it:
#   sbatch --dependency=afterok:<array job id> --wrap \
#     'concurrency-grader merge --out gradebook part-*'
#
#SBATCH --job-name=grade-class
#SBATCH --array=1-4
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=02:00:00
#SBATCH --output=grade-class-%a.log
set -euo pipefail
# Slurm sets SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT.
# As root (or with user namespaces and a delegated cgroup) each program runs in
# namespaces of its own; the part records what was in force.
concurrency-grader --class class.toml --partition auto --out "part-$SLURM_ARRAY_TASK_ID"
