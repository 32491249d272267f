"""`stayform tune`: hyperparameter search with Optuna and its Hyperband pruner.

Each trial trains with sampled learning rate, epochs, batch size, warm-up and dropout, reports
the early-stopping metric (dev span F1 + dev intent accuracy) after every evaluation so
Hyperband can stop hopeless trials early, and keeps its model in its own folder. Trials see
train and dev only: the test split is left to `stayform evaluate`. The best trial's parameters
and score are returned (and saved as best.json).
"""

from __future__ import annotations

import json
from pathlib import Path

import optuna

from training.config import TrainConfig
from training.devscore import EARLY_STOPPING_METRIC, f1_plus_intent_acc


def _objective(base: TrainConfig, output: Path):  # noqa: ANN202
    from training.train import train

    def objective(trial: optuna.Trial) -> float:
        cfg = base.model_copy(update={
            "learning_rate": trial.suggest_float("learning_rate", 1e-5, 3e-4, log=True),
            "epochs": trial.suggest_int("epochs", 1, max(2, int(base.epochs) * 2)),
            "batch_size": trial.suggest_categorical("batch_size", [8, 16, 32]),
            "warmup_ratio": trial.suggest_float("warmup_ratio", 0.0, 0.2),
            "dropout": trial.suggest_float("dropout", 0.0, 0.3),
            "output_dir": str(output / f"trial-{trial.number}"),
            "logging_dir": str(output / f"trial-{trial.number}" / "runs"),
        })
        evals = 0

        def on_step(step, scores) -> None:  # noqa: ANN001
            nonlocal evals
            if scores is None:
                return
            evals += 1
            trial.report(f1_plus_intent_acc(scores), evals)
            if trial.should_prune():
                raise optuna.TrialPruned()

        result = train(cfg, on_step=on_step, calibrate=False)
        return result.best_dev_f1_plus_intent_acc

    return objective


def tune(base: TrainConfig, *, trials: int, output: Path) -> dict:
    """Run `trials` trials; returns {"metric", "value", "params", "trial"} of the best one
    (value: its best dev span F1 + dev intent accuracy) and "trials", every trial's."""
    output.mkdir(parents=True, exist_ok=True)
    study = optuna.create_study(
        direction="maximize", sampler=optuna.samplers.TPESampler(seed=base.seed),
        pruner=optuna.pruners.HyperbandPruner(min_resource=1, reduction_factor=3))
    study.optimize(_objective(base, output), n_trials=trials)
    best = {"metric": EARLY_STOPPING_METRIC, "value": study.best_value, "params": study.best_params,
            "trial": study.best_trial.number,
            "trials": [{"number": t.number, "state": t.state.name, "value": t.value,
                        "params": t.params} for t in study.trials]}
    (output / "best.json").write_text(json.dumps(best, indent=2), encoding="utf-8")
    return best
