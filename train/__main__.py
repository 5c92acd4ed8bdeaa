"""Train a recurrent cell on the agreement benchmark.

python -m train                                  # the full GRU, default data, XLA on
python -m train --model simplified_gru --epochs 3
python -m train --config experiment.toml --seed 1
python -m train --resume runs/gru-20261124-101500
python -m train --model gru,simplified_gru,lstm,simple_rnn --seeds 3   # a sweep
python -m train --help                           # every flag
"""

from train.cli import fail, parse_config
from train.distribution import StrategyUnavailable, check_strategy
from train.report import final_report, sweep_summary
from train.run import RunDirError, TrainingDiverged, open_run_for_resume, prepare_run_dir, train
from train.sweep import is_sweep_member, run_sweep


def main(argv=None) -> int:
    config, args = parse_config(argv)
    if len(args.models) > 1 or args.seeds > 1:
        return sweep(config, args)
    try:
        check_strategy(config.strategy)
        if args.resume:
            config, run_dir = open_run_for_resume(args.resume)
        else:
            run_dir = prepare_run_dir(config, overwrite=args.overwrite)
    except (RunDirError, StrategyUnavailable) as error:
        fail(str(error))
    try:
        metrics = train(
            config, run_dir, write_experiment=not is_sweep_member(run_dir), resume=bool(args.resume)
        )
    except TrainingDiverged as error:
        fail(str(error), status=1)
    print(final_report(metrics, str(run_dir)))
    return 0


def sweep(config, args) -> int:
    try:
        experiment_dir = run_sweep(config, args.models, args.seeds, overwrite=args.overwrite)
    except (ValueError, RuntimeError) as error:
        fail(str(error))
    print(f"\nSweep written to {experiment_dir}")
    print(sweep_summary(experiment_dir))
    print(f"Dashboards: tensorboard --logdir {experiment_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
