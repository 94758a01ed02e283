"""Faults of a three-node RabbitMQ cluster under the till's load (private nodes, never shared).

The services reach the cluster through its load balancer (`tests.faults.cluster`); the quorum
queues and the archive stream are replicated on all three nodes. Each fault must lose nothing,
count nothing twice, and leave every service ready again.
"""

import asyncio
import time

import pytest

from tests.faults.cluster import PrivateRabbitCluster
from tests.faults.conftest import Results
from tests.faults.harness import FaultStack
from tests.faults.outcome import PROJECTIONS
from tests.faults.scenario import TillScenario, till_scenario

# Not in `make test`: `make test-cluster` runs them (a cluster takes minutes to form on two cores,
# and the freeze below still fails).
pytestmark = [pytest.mark.faults, pytest.mark.cluster]

FAULT_AT = 0.3  # share of the taps accepted when the fault strikes
# Found by these tests, not fixed (docs/reliability.md, "A three-node cluster"): after the
# projection queue's leader was frozen and resumed, reporting's new subscription was accepted and
# delivered nothing for minutes (RabbitMQ 3.10.8), so the freeze test fails.
DOWN_SECONDS = 3.0
FREEZE_SECONDS = 30.0


async def load_until_the_fault(stack: FaultStack, cluster: PrivateRabbitCluster) -> TillScenario:
    """Reporting and meals under the till's load, once `FAULT_AT` of the taps are in; the
    projection queue and the archive stream replicated on every node."""
    await stack.replica("reporting")
    meals = await stack.replica("meals")
    topology = stack.namespace.topology
    for queue in (topology.prefix + PROJECTIONS, topology.archive_stream.name):
        members = await asyncio.to_thread(cluster.members_of, queue)
        assert members == len(cluster.nodes), f"{queue} on {members} nodes"
    scenario = await till_scenario(stack, [meals])
    scenario.start()
    await scenario.till.wait_for_progress(FAULT_AT)
    return scenario


async def test_the_projection_queue_leader_killed_and_restarted(
    cluster_stack: FaultStack, cluster: PrivateRabbitCluster, results: Results
) -> None:
    scenario = await load_until_the_fault(cluster_stack, cluster)
    queue = cluster_stack.namespace.topology.prefix + PROJECTIONS
    leader = await asyncio.to_thread(cluster.leader_of, queue)

    down = time.monotonic()
    await asyncio.to_thread(leader.kill)
    await asyncio.sleep(DOWN_SECONDS)
    await asyncio.to_thread(leader.start)
    outage = time.monotonic() - down
    ready_again = await cluster_stack.wait_ready()
    after = await asyncio.to_thread(cluster.leader_of, queue)

    results.add(
        await scenario.finish(
            f"cluster: the projection queue's leader killed (SIGKILL), started again "
            f"({outage:.0f} s down)",
            ready_again=ready_again,
            evidence=f"leader moved to node {cluster.nodes.index(after) + 1} of 3"
            if after is not leader
            else "leader back on the same node",
        )
    )


async def test_one_node_frozen_for_30_seconds(
    cluster_stack: FaultStack, cluster: PrivateRabbitCluster, results: Results
) -> None:
    scenario = await load_until_the_fault(cluster_stack, cluster)
    queue = cluster_stack.namespace.topology.prefix + PROJECTIONS
    # The node leading the projection queue: the harshest one to freeze.
    frozen = await asyncio.to_thread(cluster.leader_of, queue)

    frozen.freeze()
    try:
        await asyncio.sleep(FREEZE_SECONDS)
    finally:
        frozen.thaw()
    thawed = time.monotonic()
    ready_again = await cluster_stack.wait_ready()
    await asyncio.to_thread(frozen.ctl, "await_startup")
    node_back = time.monotonic() - thawed

    results.add(
        await scenario.finish(
            f"cluster: the projection queue's leader frozen (SIGSTOP) {FREEZE_SECONDS:.0f} s, "
            "resumed",
            ready_again=ready_again,
            evidence=f"node answering again {node_back:.1f} s after SIGCONT",
        )
    )


async def test_the_whole_cluster_stopped_and_started(
    cluster_stack: FaultStack, cluster: PrivateRabbitCluster, results: Results
) -> None:
    scenario = await load_until_the_fault(cluster_stack, cluster)

    down = time.monotonic()
    await asyncio.to_thread(cluster.stop)
    await asyncio.sleep(DOWN_SECONDS)
    await asyncio.to_thread(cluster.start)
    outage = time.monotonic() - down
    ready_again = await cluster_stack.wait_ready()

    results.add(
        await scenario.finish(
            f"cluster: all three nodes stopped and started again ({outage:.0f} s down)",
            ready_again=ready_again,
        )
    )
