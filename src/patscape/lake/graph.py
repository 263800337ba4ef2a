"""Connected components of a graph held in DataFrames, never collected to the driver.

Minimum-label propagation with pointer jumping: every node starts labelled with itself; each round a node
takes the smallest label among its own and its neighbours', then the label of its label. Labels only
decrease and always name a node of the same component, so at the fixed point every node carries the
smallest node of its component. Pointer jumping halves the chains each round, so a component of diameter d
needs about log2(d) + 2 rounds rather than d. Each round is written out (the lineage stays short).
"""

from __future__ import annotations

from typing import Any

MAX_ROUNDS = 64


def components(edges: Any, folder: str) -> Any:
    """``edges`` (columns src, dst: strings) -> (node, label): label = the smallest node of its component.

    Isolated nodes must appear as an edge to themselves. ``folder`` receives one Parquet folder per round.
    """
    from pyspark.sql import functions as F

    spark = edges.sparkSession
    both = edges.select("src", "dst").union(
        edges.select(F.col("dst").alias("src"), F.col("src").alias("dst"))
    )
    both = both.filter("src <> dst").distinct()
    both.write.parquet(f"{folder}/edges")
    both = spark.read.parquet(f"{folder}/edges")
    nodes = (
        edges.select(F.col("src").alias("node")).union(edges.select(F.col("dst").alias("node"))).distinct()
    )
    labels = nodes.withColumn("label", F.col("node"))
    for round_no in range(MAX_ROUNDS):
        smallest = (
            both.join(labels.withColumnRenamed("node", "dst"), "dst")
            .groupBy("src")
            .agg(F.min("label").alias("near"))
            .withColumnRenamed("src", "node")
        )
        step = labels.join(smallest, "node", "left").select(
            "node", F.least("label", F.coalesce("near", "label")).alias("label")
        )
        jumped = (
            step.alias("a")
            .join(step.alias("b"), F.col("a.label") == F.col("b.node"), "left")
            .select(
                F.col("a.node"),
                F.least(F.col("a.label"), F.coalesce(F.col("b.label"), F.col("a.label"))).alias("label"),
            )
        )
        path = f"{folder}/round-{round_no}"
        jumped.write.parquet(path)
        jumped = spark.read.parquet(path)
        changed = jumped.join(labels, "node").filter(jumped.label != labels.label).limit(1).count()
        labels = jumped
        if not changed:
            return labels
    raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")
