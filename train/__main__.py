"""Train a recurrent cell on the agreement benchmark.

python -m train                                  # the full GRU, default data, XLA on
python -m train --model simplified_gru --epochs 3
python -m train --config experiment.toml --seed 1
python -m train --resume runs/gru-20261124-101500
python -m train --model gru,simplified_gru,lstm,simple_rnn --seeds 3   # a sweep
python -m train --sweep quiz --run-dir runs/quiz   # a named sweep: the course's quiz
python -m train --resume runs/sweep-20261124-110000   # continue a sweep: finished runs kept
python -m train --help                           # every flag

Every failure ends in one line on stderr: status 2 for input refused before anything
is written, 1 for a failure while training (a full disk, a diverged loss), 130 for
Ctrl-C and 143 for SIGTERM, which say how to continue.
"""

import logging
import os
import shlex
from pathlib import Path

from cli_support.errors import EXIT_FILE_ERROR, describe_os_error
from cli_support.quiet_tensorflow import import_tensorflow, unsupported_backend
from cli_support.standard_streams import printable_output, reader_may_leave
from train.cli import fail, parse_config
from train.stop_signals import (
    STOP_STATUS,
    SWEEP_RUN_VARIABLE,
    Terminated,
    signal_of,
    sigterm_raises,
)


def main(argv=None) -> int:
    reader_may_leave()  # `| head` stops the output, not the training
    printable_output()
    config, args = parse_config(argv)
    if unsupported_backend():  # before Keras is imported, and before anything is written
        fail(unsupported_backend())
    with sigterm_raises():
        _load_training()
        return _train(config, args)


def _load_training() -> None:
    """Loads TensorFlow (its C++ start-up lines filtered out) and the training modules:
    seconds in which Ctrl-C or SIGTERM ends the command in one line, nothing written yet.
    Imported after the flags are read: --help answers without loading TensorFlow."""
    try:
        import_tensorflow()
        import train.run  # noqa: F401  (Keras, the zoo, the datasets)
        import train.sweep  # noqa: F401
    except (KeyboardInterrupt, Terminated) as stop:
        stopped_by = signal_of(stop)
        fail(
            f"interrupted by {stopped_by.name} while starting; nothing was written",
            status=STOP_STATUS[stopped_by],
        )


def _train(config, args) -> int:
    from train.distribution import StrategyUnavailable, WorkersMissing, check_strategy
    from train.limits import check_before_creating
    from train.run import (
        RunComplete,
        RunDirError,
        TrainingDiverged,
        open_run_for_resume,
        prepare_run_dir,
        train,
    )
    from train.run_summary import final_report
    from train.sweep import is_sweep, is_sweep_member

    run_dir, finished = None, False
    try:
        if (
            len(args.models) > 1
            or args.seeds > 1
            or args.sweep is not None
            or (args.resume and is_sweep(Path(args.resume)))
        ):
            return sweep(config, args)
        try:
            check_strategy(config.strategy)
            if args.resume:
                config, run_dir = open_run_for_resume(args.resume, changes=args.given)
            else:
                check_before_creating(config)
                run_dir = prepare_run_dir(config, overwrite=args.overwrite)
        except RunComplete as complete:
            print(f"Nothing to resume: {complete}")
            return 0
        except (RunDirError, StrategyUnavailable, ValueError) as error:
            fail(str(error))
        except OSError as error:
            fail(describe_os_error(error))
        try:
            metrics = train(
                config,
                run_dir,
                write_experiment=not is_sweep_member(run_dir),
                resume=bool(args.resume),
                worker_timeout=args.worker_timeout,
            )
        except TrainingDiverged as error:
            fail(str(error), status=EXIT_FILE_ERROR)
        except (WorkersMissing, StrategyUnavailable) as error:
            fail(
                f"{error}; then continue with: python -m train --resume "
                f"{shlex.quote(str(run_dir))}",
                status=EXIT_FILE_ERROR,
            )
        finished = True
        print(final_report(metrics, str(run_dir)))
        return 0
    except (KeyboardInterrupt, Terminated) as stop:
        stopped_by = signal_of(stop)
        # A function stopped while TensorFlow traced it leaves objects that TensorFlow's
        # logger reports as "never used" at exit, many lines after ours: noise here.
        logging.getLogger("tensorflow").setLevel(logging.CRITICAL)
        if os.environ.get(SWEEP_RUN_VARIABLE):  # the sweep says how to continue
            raise SystemExit(STOP_STATUS[stopped_by]) from None
        if finished:
            after = f"; the run had finished, its files are complete in {run_dir}"
        elif run_dir is not None and not args.seeds > 1 and len(args.models) == 1:
            after = f"; continue with: python -m train --resume {shlex.quote(str(run_dir))}"
        else:
            after = ""
        fail(f"interrupted by {stopped_by.name}{after}", status=STOP_STATUS[stopped_by])
    except OSError as error:
        resume = (
            f"; after fixing it, continue with: python -m train --resume "
            f"{shlex.quote(str(run_dir))}"
            if run_dir is not None
            else ""
        )
        fail(describe_os_error(error) + resume, status=EXIT_FILE_ERROR)


def sweep(config, args) -> int:
    """Runs a new sweep, or continues the one ``--resume`` names."""
    from train.run_summary import sweep_summary
    from train.sweep import SweepStopped, resume_sweep, run_sweep

    try:
        if args.resume:
            experiment_dir = resume_sweep(Path(args.resume), changes=args.given)
        else:
            experiment_dir = run_sweep(config, args.models, args.seeds, overwrite=args.overwrite)
    except ValueError as error:
        fail(str(error))
    except SweepStopped as stopped:
        fail(str(stopped), status=stopped.status)
    except RuntimeError as error:
        fail(str(error), status=EXIT_FILE_ERROR)
    print(f"\nSweep written to {experiment_dir}")
    print(sweep_summary(experiment_dir))
    print(f"Dashboards: tensorboard --logdir {shlex.quote(str(experiment_dir))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
