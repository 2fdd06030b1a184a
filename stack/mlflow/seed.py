"""Seeds the stack's MLflow with a believable registry: per tenant (each its own workspace), a few
experiments of 20-50 real scikit-learn trainings on synthetic data, and a registered model with
versions, `champion` and `challenger` aliases, every artifact in MinIO.

Run by stack/seed/mlflow.ts in the MLflow virtualenv:

    python seed.py            # prints progress on stderr, the summary as JSON on stdout

Idempotent: experiments, runs (by run name), model versions (by the run they come from) and
aliases that exist are kept; only what is missing is trained, logged or registered. Every
training is deterministic (fixed seeds, one thread), so a missing version is rebuilt from the
same run it was chosen from.

Environment: MLFLOW_TRACKING_URI, MLFLOW_S3_ENDPOINT_URL, AWS_* (MinIO), SEED_WORKSPACE_PROVIDER
(`kubernetes`: a workspace is a namespace labelled SEED_WORKSPACE_LABEL, made here with the
Kubernetes client and KUBECONFIG when missing; `builtin`: made through MLflow's workspace API).

Every tenant logs `cv_f1_mean`, `cv_f1_std` and `holdout_auc` so promotion gates work the same
way everywhere. The regression tenants (pricing, forecast) score a thresholded target for them:
"above the training median" (high elasticity / high demand) is the positive class, the
regressor's prediction is the score (AUC) and prediction > training median is the label (F1).
They also log holdout_rmse and holdout_r2.
"""

from __future__ import annotations

import json
import math
import os
import random
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MLFLOW_ENABLE_ASYNC_LOGGING", "false")
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import Metric, Param  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402
from mlflow.models import infer_signature  # noqa: E402
from sklearn import __version__ as SKLEARN_VERSION  # noqa: E402
from sklearn.datasets import make_classification, make_regression  # noqa: E402
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier  # noqa: E402
from sklearn.linear_model import SGDClassifier, SGDRegressor  # noqa: E402
from sklearn.metrics import f1_score, log_loss, mean_squared_error, r2_score, roc_auc_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold, train_test_split  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

SEED_VERSION = "1"
SEED_TAG = "mlp.seed"  # on seeded experiments, runs and model versions
RUN_INDEX_TAG = "mlp.seed.run_index"
DAY_MS = 86_400_000


def log(message: str) -> None:
    print(f"[mlflow-seed] {message}", file=sys.stderr, flush=True)


# --- what is seeded -------------------------------------------------------------------------


@dataclass
class ExperimentSpec:
    name: str
    algo: str  # sgd | gbm | rf
    runs: int
    description: str


@dataclass
class UnsignedModelSpec:
    name: str
    description: str


@dataclass
class TenantSpec:
    tenant: str
    description: str
    task: str  # classification | regression
    features: list[str]
    model: str
    model_description: str
    experiments: list[ExperimentSpec]
    versions: int
    # Which experiment the registered versions come from.
    registry_experiment: str
    # The version that lacks a signature (0: none).
    unsigned_version: int = 0
    # A second registered model of one version, logged WITHOUT a signature from the best registry
    # experiment run no version of `model` comes from, and served (stack/seed/health-cases.ts): the
    # platform health check signature-missing-under-enforcement fires on it.
    unsigned_model: UnsignedModelSpec | None = None
    # Whether the challenger (the newest version) beats the champion.
    challenger_better: bool = True
    users: list[str] = field(default_factory=list)


TENANTS = [
    TenantSpec(
        tenant="fraud",
        description="Card-transaction fraud models, scored in real time.",
        task="classification",
        features=[
            "amount", "amount_zscore_30d", "hour_of_day", "merchant_risk", "merchant_category",
            "card_age_days", "txn_count_1h", "txn_count_24h", "distance_from_home_km",
            "foreign_country", "device_change", "chargebacks_90d",
        ],
        model="fraud-detector",
        model_description="Flags card transactions for review; scored by the fraud-detector endpoint.",
        experiments=[
            ExperimentSpec("fraud-card-transactions-gbm", "gbm", 30, "Gradient boosting on card transactions."),
            ExperimentSpec("fraud-card-transactions-sgd", "sgd", 24, "Logistic regression by SGD, the fast baseline."),
            ExperimentSpec("fraud-merchant-risk-rf", "rf", 20, "Random forests on merchant-level risk features."),
        ],
        versions=5,
        registry_experiment="fraud-card-transactions-gbm",
        unsigned_version=2,
        challenger_better=True,
        users=["alice", "alice", "fraud-training-pipeline"],
    ),
    TenantSpec(
        tenant="pricing",
        description="Price-elasticity and demand models.",
        task="regression",
        features=[
            "base_price", "discount_pct", "competitor_price_ratio", "category_index", "season_week",
            "promo_flag", "stock_level", "store_traffic", "price_change_7d", "basket_share",
        ],
        model="price-elasticity",
        model_description="Predicts the demand response to a price change per product.",
        experiments=[
            ExperimentSpec("pricing-elasticity-gbm", "gbm", 26, "Gradient-boosted elasticity model."),
            ExperimentSpec("pricing-elasticity-sgd", "sgd", 22, "Linear elasticity model by SGD."),
        ],
        versions=4,
        registry_experiment="pricing-elasticity-gbm",
        challenger_better=True,
        users=["carol", "carol", "pricing-training-pipeline"],
    ),
    TenantSpec(
        tenant="forecast",
        description="Weekly demand forecasts per store and product.",
        task="regression",
        features=[
            "lag_1w", "lag_2w", "lag_4w", "lag_52w", "rolling_mean_4w", "rolling_std_4w",
            "holiday_flag", "promo_flag", "week_of_year", "store_size", "price_index",
        ],
        model="demand-forecast",
        model_description="Weekly unit demand per store and product, 1-week horizon.",
        experiments=[
            ExperimentSpec("forecast-weekly-demand-gbm", "gbm", 28, "Gradient boosting on lagged demand."),
            ExperimentSpec("forecast-weekly-demand-sgd", "sgd", 21, "Linear model on lagged demand by SGD."),
        ],
        versions=3,
        registry_experiment="forecast-weekly-demand-gbm",
        # The canary that fails: a challenger worse than the champion.
        challenger_better=False,
        users=["forecast-training-pipeline"],
        unsigned_model=UnsignedModelSpec(
            "demand-forecast-lite",
            "A smaller weekly demand model for the store apps, logged from a notebook without a signature.",
        ),
    ),
]


# --- data and training ----------------------------------------------------------------------


@dataclass
class Dataset:
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: np.ndarray
    y_test: np.ndarray
    # For regression: the training median that makes the binary target of the gates.
    threshold: float | None


def make_dataset(spec: TenantSpec) -> Dataset:
    seed = sum(ord(c) for c in spec.tenant)
    n_features = len(spec.features)
    if spec.task == "classification":
        X, y = make_classification(
            n_samples=2400, n_features=n_features, n_informative=7, n_redundant=2,
            weights=[0.8], flip_y=0.02, class_sep=1.3, random_state=seed,
        )
        threshold = None
    else:
        X, y = make_regression(n_samples=2400, n_features=n_features, n_informative=7, noise=35.0, random_state=seed)
        # A little non-linearity, so that boosting has something to find.
        y = y + 25.0 * np.sin(X[:, 0]) + 10.0 * X[:, 1] * X[:, 2]
        threshold = None
    frame = pd.DataFrame(X, columns=spec.features)
    stratify = y if spec.task == "classification" else None
    X_train, X_test, y_train, y_test = train_test_split(frame, y, test_size=0.25, random_state=seed, stratify=stratify)
    if spec.task == "regression":
        threshold = float(np.median(y_train))
    return Dataset(X_train, X_test, y_train, y_test, threshold)


def sample_params(spec: TenantSpec, exp: ExperimentSpec, index: int) -> dict:
    rng = random.Random(f"{spec.tenant}/{exp.name}/{index}")
    if exp.algo == "gbm":
        return {
            "n_estimators": rng.choice([20, 30, 40, 50, 60]),
            "learning_rate": round(10 ** rng.uniform(-1.7, -0.5), 4),
            "max_depth": rng.choice([1, 2, 3, 4]),
            "subsample": round(rng.uniform(0.6, 1.0), 2),
            "min_samples_leaf": rng.choice([1, 5, 20, 50]),
        }
    if exp.algo == "sgd":
        return {
            "epochs": rng.choice([8, 10, 12, 15, 20]),
            "alpha": round(10 ** rng.uniform(-5, -1), 6),
            "penalty": rng.choice(["l2", "l1", "elasticnet"]),
            "eta0": round(10 ** rng.uniform(-3, -1), 5),
            "learning_rate": rng.choice(["constant", "invscaling", "adaptive"]),
        }
    return {
        "trees_per_step": rng.choice([5, 8, 10]),
        "steps": rng.choice([5, 6, 8]),
        "max_depth": rng.choice([3, 5, 8, 12]),
        "max_features": rng.choice(["sqrt", "log2", 0.5]),
        "min_samples_leaf": rng.choice([1, 3, 10]),
    }


def _estimator(task: str, algo: str, params: dict, seed: int):
    if algo == "gbm":
        cls = GradientBoostingClassifier if task == "classification" else GradientBoostingRegressor
        return cls(
            n_estimators=params["n_estimators"], learning_rate=params["learning_rate"], max_depth=params["max_depth"],
            subsample=params["subsample"], min_samples_leaf=params["min_samples_leaf"], random_state=seed,
        )
    if algo == "sgd":
        common = dict(
            alpha=params["alpha"], penalty=params["penalty"], eta0=params["eta0"],
            learning_rate=params["learning_rate"], random_state=seed,
        )
        if task == "classification":
            return SGDClassifier(loss="log_loss", **common)
        return SGDRegressor(**common)
    return RandomForestClassifier(
        n_estimators=params["trees_per_step"], max_depth=params["max_depth"], max_features=params["max_features"],
        min_samples_leaf=params["min_samples_leaf"], warm_start=True, oob_score=True, bootstrap=True,
        random_state=seed, n_jobs=1,
    )


def _scores(model, X) -> np.ndarray:
    if hasattr(model, "predict_proba"):
        return model.predict_proba(X)[:, 1]
    return model.predict(X)


def _clip_proba(p: np.ndarray) -> np.ndarray:
    return np.clip(p, 1e-6, 1 - 1e-6)


def fit(task: str, algo: str, params: dict, seed: int, X: pd.DataFrame, y: np.ndarray, X_val=None, y_val=None):
    """Trains one model; returns (model, history: {metric: [values per step]})."""
    history: dict[str, list[tuple[int, float]]] = {}

    def record(key: str, step: int, value: float) -> None:
        history.setdefault(key, []).append((step, float(value)))

    if algo == "sgd":
        scaler = StandardScaler().fit(X)
        Xs = scaler.transform(X)
        Xv = scaler.transform(X_val) if X_val is not None else None
        est = _estimator(task, algo, params, seed)
        classes = np.unique(y) if task == "classification" else None
        y_fit = y if task == "classification" else (y - y.mean()) / y.std()
        for epoch in range(params["epochs"]):
            if task == "classification":
                est.partial_fit(Xs, y_fit, classes=classes)
            else:
                est.partial_fit(Xs, y_fit)
            if X_val is None:
                continue
            if task == "classification":
                record("train_loss", epoch, log_loss(y, _clip_proba(est.predict_proba(Xs)[:, 1]), labels=[0, 1]))
                record("val_loss", epoch, log_loss(y_val, _clip_proba(est.predict_proba(Xv)[:, 1]), labels=[0, 1]))
            else:
                record("train_loss", epoch, mean_squared_error(y_fit, est.predict(Xs)))
                record("val_loss", epoch, mean_squared_error((y_val - y.mean()) / y.std(), est.predict(Xv)))
        if task == "regression":
            # Undo the target scaling inside the model, so that it predicts real units.
            est.coef_ = est.coef_ * y.std()
            est.intercept_ = est.intercept_ * y.std() + y.mean()
        return Pipeline([("scale", scaler), ("model", est)]), history

    if algo == "gbm":
        est = _estimator(task, algo, params, seed).fit(X, y)
        if X_val is not None:
            if task == "classification":
                train_stages = est.staged_predict_proba(X)
                val_stages = est.staged_predict_proba(X_val)
                for step, (pt, pv) in enumerate(zip(train_stages, val_stages)):
                    if step % 2 == 0 or step == est.n_estimators_ - 1:
                        record("train_loss", step, log_loss(y, _clip_proba(pt[:, 1]), labels=[0, 1]))
                        record("val_loss", step, log_loss(y_val, _clip_proba(pv[:, 1]), labels=[0, 1]))
            else:
                scale = float(np.var(y))
                for step, (pt, pv) in enumerate(zip(est.staged_predict(X), est.staged_predict(X_val))):
                    if step % 2 == 0 or step == est.n_estimators_ - 1:
                        record("train_loss", step, mean_squared_error(y, pt) / scale)
                        record("val_loss", step, mean_squared_error(y_val, pv) / scale)
        return est, history

    est = _estimator(task, algo, params, seed)
    for step in range(params["steps"]):
        est.n_estimators = params["trees_per_step"] * (step + 1)
        est.fit(X, y)
        if X_val is not None:
            record("oob_error", step, 1.0 - est.oob_score_)
            record("val_loss", step, log_loss(y_val, _clip_proba(est.predict_proba(X_val)[:, 1]), labels=[0, 1]))
    return est, history


def binary_target(task: str, y: np.ndarray, threshold: float | None) -> np.ndarray:
    return y if task == "classification" else (y > threshold).astype(int)


def predicted_label(task: str, model, X, threshold: float | None) -> np.ndarray:
    if task == "classification":
        return model.predict(X)
    return (model.predict(X) > threshold).astype(int)


@dataclass
class Trained:
    model: object
    params: dict
    metrics: dict[str, float]
    # Per metric, (step, value): epochs, boosting stages or forest sizes.
    history: dict[str, list[tuple[int, float]]]


def train_run(spec: TenantSpec, exp: ExperimentSpec, index: int, data: Dataset) -> Trained:
    params = sample_params(spec, exp, index)
    seed = index + 1
    task = spec.task
    # 3-fold cross-validation on the training split.
    y_bin = binary_target(task, data.y_train, data.threshold)
    f1s = []
    for fold_train, fold_val in StratifiedKFold(n_splits=3, shuffle=True, random_state=seed).split(data.X_train, y_bin):
        m, _ = fit(task, exp.algo, params, seed, data.X_train.iloc[fold_train], data.y_train[fold_train])
        f1s.append(f1_score(y_bin[fold_val], predicted_label(task, m, data.X_train.iloc[fold_val], data.threshold)))
    model, history = fit(task, exp.algo, params, seed, data.X_train, data.y_train, data.X_test, data.y_test)

    y_test_bin = binary_target(task, data.y_test, data.threshold)
    metrics = {
        "cv_f1_mean": float(np.mean(f1s)),
        "cv_f1_std": float(np.std(f1s)),
        "holdout_auc": float(roc_auc_score(y_test_bin, _scores(model, data.X_test))),
        "holdout_f1": float(f1_score(y_test_bin, predicted_label(task, model, data.X_test, data.threshold))),
    }
    if task == "regression":
        pred = model.predict(data.X_test)
        metrics["holdout_rmse"] = float(math.sqrt(mean_squared_error(data.y_test, pred)))
        metrics["holdout_r2"] = float(r2_score(data.y_test, pred))
    return Trained(model, params, metrics, history)


# --- MLflow ---------------------------------------------------------------------------------


def ensure_workspace(client: MlflowClient, spec: TenantSpec) -> None:
    try:
        client.get_workspace(spec.tenant)
        return
    except MlflowException:
        pass
    provider = os.environ.get("SEED_WORKSPACE_PROVIDER", "kubernetes")
    if provider == "builtin":
        log(f"{spec.tenant}: creating workspace")
        client.create_workspace(spec.tenant, spec.description)
        return

    # A workspace is a labelled namespace: make it (or label it), then wait until MLflow's
    # namespace watch has seen it.
    from kubernetes import client as k8s, config as k8s_config
    from kubernetes.client.exceptions import ApiException

    label = os.environ.get("SEED_WORKSPACE_LABEL", "mlp.example.com/tenant")
    k8s_config.load_kube_config(config_file=os.environ.get("KUBECONFIG"))
    core = k8s.CoreV1Api()
    meta = {"labels": {label: spec.tenant}, "annotations": {"mlflow.kubeflow.org/workspace-description": spec.description}}
    try:
        ns = core.read_namespace(spec.tenant)
        if (ns.metadata.labels or {}).get(label) != spec.tenant:
            log(f"{spec.tenant}: labelling namespace {spec.tenant} {label}={spec.tenant}")
            core.patch_namespace(spec.tenant, {"metadata": meta})
    except ApiException as exc:
        if exc.status != 404:
            raise
        log(f"{spec.tenant}: creating namespace {spec.tenant}")
        core.create_namespace(k8s.V1Namespace(metadata=k8s.V1ObjectMeta(name=spec.tenant, **meta)))
    deadline = time.time() + 30
    while True:
        try:
            client.get_workspace(spec.tenant)
            return
        except MlflowException:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def ensure_experiment(client: MlflowClient, spec: TenantSpec, exp: ExperimentSpec) -> str:
    found = client.get_experiment_by_name(exp.name)
    if found is not None:
        return found.experiment_id
    log(f"{spec.tenant}: creating experiment {exp.name}")
    return client.create_experiment(
        exp.name,
        tags={"mlflow.note.content": exp.description, "mlp.tenant": spec.tenant, "mlp.algorithm": exp.algo, SEED_TAG: SEED_VERSION},
    )


def run_name(exp: ExperimentSpec, index: int) -> str:
    return f"{exp.algo}-{index + 1:03d}"


def existing_runs(client: MlflowClient, experiment_id: str) -> dict[str, object]:
    runs = {}
    token = None
    while True:
        page = client.search_runs([experiment_id], filter_string=f"tags.`{SEED_TAG}` = '{SEED_VERSION}'", max_results=1000, page_token=token)
        for run in page:
            runs[run.info.run_name] = run
        token = page.token
        if not token:
            return runs


def log_run(client: MlflowClient, spec: TenantSpec, exp: ExperimentSpec, experiment_id: str, index: int, trained: Trained, start_ms: int, n_train: int) -> str:
    users = spec.users or ["mlflow"]
    tags = {
        SEED_TAG: SEED_VERSION,
        RUN_INDEX_TAG: str(index),
        "mlflow.user": users[index % len(users)],
        "mlflow.source.type": "JOB" if "pipeline" in users[index % len(users)] else "NOTEBOOK",
        "mlflow.source.name": f"train_{exp.algo}.py",
        "mlp.tenant": spec.tenant,
        "mlp.dataset": f"{spec.tenant}-synthetic-v1",
        "estimator": type(trained.model).__name__ if not isinstance(trained.model, Pipeline) else "Pipeline(StandardScaler, SGD)",
    }
    run = client.create_run(experiment_id, run_name=run_name(exp, index), start_time=start_ms, tags=tags)
    run_id = run.info.run_id
    metrics = []
    step_ms = 1_500
    for key, values in trained.history.items():
        metrics.extend(Metric(key, v, start_ms + (step + 1) * step_ms, step) for step, v in values)
    steps = max((step for values in trained.history.values() for step, _ in values), default=1)
    end_ms = start_ms + (steps + 2) * step_ms
    metrics.extend(Metric(k, v, end_ms, 0) for k, v in trained.metrics.items())
    params = [Param(k, str(v)) for k, v in trained.params.items()]
    params += [Param("n_features", str(len(spec.features))), Param("n_train", str(n_train))]
    for chunk in range(0, len(metrics), 900):
        client.log_batch(run_id, metrics=metrics[chunk : chunk + 900], params=params if chunk == 0 else [], tags=[])
    client.log_dict(run_id, {"params": trained.params, "metrics": trained.metrics}, "evaluation/summary.json")
    client.set_terminated(run_id, "FINISHED", end_time=end_ms)
    return run_id


def choose_versions(spec: TenantSpec, runs: list[tuple[int, float]]) -> list[int]:
    """Run indices for versions 1..N, from the registry experiment's runs as (index, holdout_auc).

    Versions improve over time up to the champion (version N-1); the challenger (version N) is
    the best run when it should beat the champion, else one a little worse than the champion.
    """
    ranked = sorted(runs, key=lambda r: (r[1], r[0]))  # worst first
    n = spec.versions
    # Evenly spaced picks from the upper half, worst to best.
    upper = ranked[len(ranked) // 2 :]
    picks = [upper[round(i * (len(upper) - 1) / (n - 1))][0] for i in range(n)]
    if not spec.challenger_better:
        # Swap the two best: the newest version (challenger) is worse than the champion.
        picks[-1], picks[-2] = picks[-2], picks[-1]
    seen: list[int] = []
    for p in picks:
        if p not in seen:
            seen.append(p)
    for index, _ in reversed(ranked):  # fill in on (unlikely) duplicates
        if len(seen) >= n:
            break
        if index not in seen:
            seen.insert(0, index)
    return seen[:n]


def log_model_artifacts(client: MlflowClient, run, trained: Trained, data: Dataset, signed: bool) -> str | None:
    """Logs the model as an MLflow 3 LoggedModel of the run and, the classic way, under the run's
    `model` artifact path (what the registry version's source and KServe's storageUri point at).
    Returns the LoggedModel id."""
    run_id = run.info.run_id
    signature = infer_signature(data.X_train.head(50), trained.model.predict(data.X_train.head(50))) if signed else None
    import cloudpickle

    requirements = [
        f"mlflow=={mlflow.__version__}", f"scikit-learn=={SKLEARN_VERSION}", f"numpy=={np.__version__}",
        f"pandas=={pd.__version__}", f"cloudpickle=={cloudpickle.__version__}",
    ]
    with mlflow.start_run(run_id=run_id):
        # cloudpickle, the format every MLflow model server loads without a list of trusted types
        # (MLflow 3.17's default, skops, refuses tree models unless their loader trusts them).
        info = mlflow.sklearn.log_model(
            trained.model, name="model", signature=signature, pip_requirements=requirements,
            serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_CLOUDPICKLE,
        )
    # Reopening the run touched its status and end time: put them back.
    client.set_terminated(run_id, "FINISHED", end_time=run.info.end_time)
    with tempfile.TemporaryDirectory() as tmp:
        local = mlflow.artifacts.download_artifacts(artifact_uri=info.model_uri, dst_path=tmp)
        client.log_artifacts(run_id, local, "model")
    return info.model_id


def seed_registry(client: MlflowClient, spec: TenantSpec, exp: ExperimentSpec, runs: dict[int, object], data: Dataset, trained_runs: dict[int, Trained]) -> dict:
    """`trained_runs`: the runs of `exp` trained by this seed, whose models are logged as they are
    (training is deterministic); other picked runs are trained again."""
    name = spec.model
    try:
        client.get_registered_model(name)
    except MlflowException:
        log(f"{spec.tenant}: registering model {name}")
        client.create_registered_model(name, tags={"mlp.tenant": spec.tenant, SEED_TAG: SEED_VERSION}, description=spec.model_description)

    picks = choose_versions(spec, [(i, r.data.metrics["holdout_auc"]) for i, r in runs.items()])
    existing = {mv.tags.get(RUN_INDEX_TAG): mv for mv in client.search_model_versions(f"name = '{name}'")}
    versions = []
    for position, index in enumerate(picks, start=1):
        mv = existing.get(str(index))
        run = runs[index]
        if mv is None:
            signed = position != spec.unsigned_version
            log(f"{spec.tenant}: {name} version {position} from run {run.info.run_name} ({'with' if signed else 'WITHOUT'} a signature)")
            trained = trained_runs.get(index) or train_run(spec, exp, index, data)
            model_id = log_model_artifacts(client, run, trained, data, signed)
            mv = client.create_model_version(
                name,
                source=f"{run.info.artifact_uri}/model",
                run_id=run.info.run_id,
                tags={RUN_INDEX_TAG: str(index), SEED_TAG: SEED_VERSION, "holdout_auc": f"{run.data.metrics['holdout_auc']:.4f}"},
                description=f"{exp.name} run {run.info.run_name}",
                model_id=model_id,
            )
        versions.append(mv)

    champion, challenger = versions[-2], versions[-1]
    for alias, mv in (("champion", champion), ("challenger", challenger)):
        current = None
        try:
            current = client.get_model_version_by_alias(name, alias)
        except MlflowException:
            pass
        if current is None or current.version != mv.version:
            client.set_registered_model_alias(name, alias, mv.version)

    def describe(mv) -> dict:
        run = runs[int(mv.tags[RUN_INDEX_TAG])]
        artifact_uri = run.info.artifact_uri
        return {
            "version": str(mv.version),
            "runId": run.info.run_id,
            "runName": run.info.run_name,
            "experimentId": run.info.experiment_id,
            "artifactUri": artifact_uri,
            "storageUri": f"{artifact_uri}/model",
            "source": mv.source,
            "signature": int(mv.version) != spec.unsigned_version,
            "aliases": [a for a, m in (("champion", champion), ("challenger", challenger)) if m.version == mv.version],
            "metrics": {k: run.data.metrics[k] for k in ("holdout_auc", "cv_f1_mean", "cv_f1_std")},
        }

    described = [describe(mv) for mv in versions]
    registry = {
        "model": name,
        "versions": described,
        "champion": described[-2],
        "challenger": described[-1],
    }
    if spec.unsigned_model is not None:
        registry["unsignedModel"] = seed_unsigned_model(client, spec, exp, runs, picks, data, trained_runs)
    return registry


def seed_unsigned_model(client: MlflowClient, spec: TenantSpec, exp: ExperimentSpec, runs: dict[int, object], picks: list[int], data: Dataset, trained_runs: dict[int, Trained]) -> dict:
    """`spec.unsigned_model`: version 1 from the best run of `exp` that no version of the tenant's
    main model comes from, its model logged with signature=None (as a notebook that skips
    infer_signature does), registered once."""
    model = spec.unsigned_model
    assert model is not None
    try:
        client.get_registered_model(model.name)
    except MlflowException:
        log(f"{spec.tenant}: registering model {model.name}")
        client.create_registered_model(model.name, tags={"mlp.tenant": spec.tenant, SEED_TAG: SEED_VERSION}, description=model.description)
    index = max((i for i in runs if i not in picks), key=lambda i: (runs[i].data.metrics["holdout_auc"], i))
    run = runs[index]
    existing = client.search_model_versions(f"name = '{model.name}'")
    mv = next((v for v in existing if v.tags.get(RUN_INDEX_TAG) == str(index)), None)
    if mv is None:
        log(f"{spec.tenant}: {model.name} version 1 from run {run.info.run_name} (WITHOUT a signature)")
        trained = trained_runs.get(index) or train_run(spec, exp, index, data)
        model_id = log_model_artifacts(client, run, trained, data, signed=False)
        mv = client.create_model_version(
            model.name,
            source=f"{run.info.artifact_uri}/model",
            run_id=run.info.run_id,
            tags={RUN_INDEX_TAG: str(index), SEED_TAG: SEED_VERSION, "holdout_auc": f"{run.data.metrics['holdout_auc']:.4f}"},
            description=f"{exp.name} run {run.info.run_name}, logged from a notebook without a signature",
            model_id=model_id,
        )
    artifact_uri = run.info.artifact_uri
    return {
        "model": model.name,
        "version": {
            "version": str(mv.version),
            "runId": run.info.run_id,
            "runName": run.info.run_name,
            "experimentId": run.info.experiment_id,
            "artifactUri": artifact_uri,
            "storageUri": f"{artifact_uri}/model",
            "source": mv.source,
            "signature": False,
            "aliases": [],
            "metrics": {k: run.data.metrics[k] for k in ("holdout_auc", "cv_f1_mean", "cv_f1_std")},
        },
    }


def seed_tenant(client: MlflowClient, spec: TenantSpec, now_ms: int) -> dict:
    ensure_workspace(client, spec)
    mlflow.set_workspace(spec.tenant)
    data = make_dataset(spec)
    experiments = []
    registry_runs: dict[int, object] = {}
    registry_trained: dict[int, Trained] = {}
    registry_exp = None
    for e_index, exp in enumerate(spec.experiments):
        experiment_id = ensure_experiment(client, spec, exp)
        found = existing_runs(client, experiment_id)
        missing = [i for i in range(exp.runs) if run_name(exp, i) not in found]
        if missing:
            log(f"{spec.tenant}: {exp.name}: training {len(missing)} of {exp.runs} runs")
        started = time.time()
        for i in missing:
            trained = train_run(spec, exp, i, data)
            if exp.name == spec.registry_experiment:
                registry_trained[i] = trained
            # Spread over the last 30 days, oldest first; experiments interleave.
            start_ms = now_ms - 30 * DAY_MS + int((i + e_index / len(spec.experiments)) * 29 * DAY_MS / exp.runs)
            log_run(client, spec, exp, experiment_id, i, trained, start_ms, len(data.X_train))
        if missing:
            log(f"{spec.tenant}: {exp.name}: {len(missing)} runs in {time.time() - started:.1f} s")
            found = existing_runs(client, experiment_id)
        experiments.append({"name": exp.name, "experimentId": experiment_id, "runs": len(found)})
        if exp.name == spec.registry_experiment:
            registry_exp = exp
            registry_runs = {int(r.data.tags[RUN_INDEX_TAG]): r for r in found.values()}
    assert registry_exp is not None
    registry = seed_registry(client, spec, registry_exp, registry_runs, data, registry_trained)
    return {"tenant": spec.tenant, "workspace": spec.tenant, "experiments": experiments, **registry}


def main() -> None:
    started = time.time()
    client = MlflowClient()
    now_ms = int(time.time() * 1000)
    tenants = [seed_tenant(client, spec, now_ms) for spec in TENANTS]
    mlflow.set_workspace(None)
    log(f"done in {time.time() - started:.1f} s")
    summary = {"seedVersion": SEED_VERSION, "trackingUri": mlflow.get_tracking_uri(), "tenants": tenants}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
