"""Node positions for large views, computed in numpy in a second or two at 5,000 nodes.

networkx's ``spring_layout`` needs tens of seconds at 5,000 nodes and vis-network's
in-browser physics does not settle at that size, so large views are laid out here and
drawn with physics off:

1. each connected component is placed by PivotMDS (Brandes & Pich, 2006): breadth-first
   distances from a few dozen pivot nodes, double-centred, projected on their two main
   axes, which gives the global shape in O(pivots * edges);
2. a short force-directed refinement spreads what PivotMDS stacks on one point (leaves of
   the same hub): springs along edges, repulsion only between nodes in neighbouring cells
   of a grid (Fruchterman and Reingold's grid variant), all vectorised;
3. components are packed in rows, largest first.

Positions are deterministic (fixed seed) and in vis-network pixels.

>>> import networkx as nx
>>> from graph.layout import layout
>>> pos = layout(nx.path_graph(5))
>>> sorted(pos) == [0, 1, 2, 3, 4]
True
"""

from __future__ import annotations

from collections import deque

__all__ = ["layout", "SEED", "PIVOTS", "ITERATIONS", "EDGE_LENGTH"]

SEED = 42
PIVOTS = 40          # PivotMDS pivots per component (fewer if the component is smaller)
ITERATIONS = 45      # force-directed refinement steps
EDGE_LENGTH = 60.0   # pixels per unit of layout distance (about one hop)
_CELL_CAPACITY = 8   # nodes kept per grid cell for repulsion; crowded cells are sampled
_SMALL_COMPONENT = 50  # components up to this size are laid out together


def _bfs(adjacency: list[list[int]], start: int, n: int):
    import numpy as np

    dist = np.full(n, -1, dtype=np.int32)
    dist[start] = 0
    queue = deque([start])
    while queue:
        u = queue.popleft()
        du = dist[u] + 1
        for v in adjacency[u]:
            if dist[v] < 0:
                dist[v] = du
                queue.append(v)
    return dist


def _pivot_mds(adjacency: list[list[int]], rng):
    """2-D coordinates for one connected component (node indices 0..n-1)."""
    import numpy as np

    n = len(adjacency)
    k = min(PIVOTS, n)
    columns = []
    nearest = np.full(n, np.iinfo(np.int32).max, dtype=np.int64)
    pivot = max(range(n), key=lambda i: len(adjacency[i]))
    for _ in range(k):
        dist = _bfs(adjacency, pivot, n)
        columns.append(dist)
        nearest = np.minimum(nearest, dist)
        pivot = int(np.argmax(nearest + rng.random(n) * 0.5))  # farthest from all pivots so far
        if nearest[pivot] == 0:
            break
    D = np.stack(columns, axis=1).astype(np.float64) ** 2
    C = -0.5 * (D - D.mean(axis=0) - D.mean(axis=1, keepdims=True) + D.mean())
    U, S, _ = np.linalg.svd(C, full_matrices=False)
    coords = U[:, :2] * S[:2]
    if coords.shape[1] < 2:
        coords = np.column_stack([coords, np.zeros(n)])
    # Scale so that the component covers about one square unit per node.
    extent = np.ptp(coords, axis=0)
    spread = float(np.sqrt(max(extent[0] * extent[1], extent.max() ** 2 / n)))  # a line still has a length
    coords *= np.sqrt(n) / spread if spread > 1e-6 else 1.0
    return coords + rng.normal(scale=0.05, size=(n, 2))


def _refine(coords, edges, rng, iterations: int = ITERATIONS):
    """Force-directed refinement: edge springs plus grid-local repulsion (unit edge length)."""
    import numpy as np

    n = len(coords)
    pos = coords.copy()
    src, dst = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, int), np.zeros(0, int))
    cell = 2.0
    temperature = 1.0
    for step in range(iterations):
        disp = np.zeros_like(pos)
        # Attraction along edges: f = d^2 (unit ideal length).
        if len(src):
            delta = pos[src] - pos[dst]
            d = np.sqrt((delta ** 2).sum(1)) + 1e-9
            force = 0.3 * delta * ((d - 1.0) / d)[:, None]  # a weak spring, rest length one unit
            np.add.at(disp, src, -force)
            np.add.at(disp, dst, force)
        # Repulsion between nodes in the same or neighbouring grid cells: f = 1 / d.
        lo = pos.min(axis=0)
        cxy = np.floor((pos - lo) / cell).astype(np.int64)
        width = int(cxy[:, 1].max()) + 3
        cid = (cxy[:, 0] + 1) * width + (cxy[:, 1] + 1)
        order = np.lexsort((rng.random(n), cid))
        sorted_cid = cid[order]
        first = np.searchsorted(sorted_cid, sorted_cid, side="left")
        rank = np.arange(n) - first
        keep = rank < _CELL_CAPACITY
        ncells = (int(cxy[:, 0].max()) + 3) * width
        table = np.full((ncells, _CELL_CAPACITY), -1, dtype=np.int64)
        table[sorted_cid[keep], rank[keep]] = order[keep]
        offsets = np.array([dx * width + dy for dx in (-1, 0, 1) for dy in (-1, 0, 1)])
        # A crowded cell keeps a random sample of its nodes; each stands for count / kept.
        count = np.bincount(cid, minlength=ncells)
        scale = np.maximum(1.0, count / _CELL_CAPACITY)
        near = cid[:, None] + offsets[None, :]
        neighbours = table[near].reshape(n, -1)
        multiplicity = np.repeat(scale[near], _CELL_CAPACITY, axis=1)
        valid = (neighbours >= 0) & (neighbours != np.arange(n)[:, None])
        other = np.where(valid, neighbours, 0)
        delta = pos[:, None, :] - pos[other]
        d2 = (delta ** 2).sum(-1) + 1e-4
        weight = np.where(valid & (d2 < cell * cell), multiplicity / d2, 0.0)
        disp += (delta * weight[..., None]).sum(1)
        # Move, at most `temperature` per step; cool linearly.
        length = np.sqrt((disp ** 2).sum(1)) + 1e-9
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = max(0.02, temperature * (1 - (step + 1) / iterations))
    return pos


def _initial(nodes: list, G, rng):
    """PivotMDS coordinates for one component, and its edges as index pairs."""
    import numpy as np

    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency: list[list[int]] = [[] for _ in range(n)]
    pairs = set()
    for u, v in G.edges(nodes):
        i, j = index[u], index[v]
        if i != j and (min(i, j), max(i, j)) not in pairs:
            adjacency[i].append(j)
            adjacency[j].append(i)
            pairs.add((min(i, j), max(i, j)))
    edges = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    if n == 1:
        return np.zeros((1, 2)), edges
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]]), edges
    return _pivot_mds(adjacency, rng), edges


def _pack(blocks: list, gap: float, row_width: float):
    """Place blocks of coordinates in rows, left to right; returns one array of coordinates each."""
    placed = []
    x = y = row_height = 0.0
    for coords in blocks:
        coords = coords - coords.min(axis=0)
        w, h = coords.max(axis=0)
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        placed.append(coords + (x, y))
        x += w + gap
        row_height = max(row_height, h)
    return placed


def layout(G, seed: int = SEED) -> dict:
    """Positions ``{node: (x, y)}`` in vis-network pixels for every node of ``G``.

    Large components are refined one by one; the many small ones (pairs, stars) are
    packed together first and refined in one go, which costs the same as one component.
    """
    import networkx as nx
    import numpy as np

    rng = np.random.default_rng(seed)
    H = G.to_undirected(as_view=True) if G.is_directed() else G
    components = sorted((sorted(c, key=str) for c in nx.connected_components(H)),
                        key=lambda c: (-len(c), str(c[0])))
    blocks: list = []
    order: list = []
    small = [c for c in components if len(c) <= _SMALL_COMPONENT]
    for nodes in components:
        if len(nodes) > _SMALL_COMPONENT:
            coords, edges = _initial(nodes, H, rng)
            blocks.append(_refine(coords, edges, rng))
            order.append(nodes)
    if small:
        starts = [_initial(nodes, H, rng) for nodes in small]
        width = max(10.0, float(np.sqrt(sum(len(c) for c in small))) * 2.5)
        packed = _pack([c for c, _ in starts], gap=2.0, row_width=width)
        offsets = np.cumsum([0] + [len(c) for c in small])
        edges = np.concatenate([e + off for (_, e), off in zip(starts, offsets[:-1], strict=True)]).reshape(-1, 2)
        blocks.append(_refine(np.concatenate(packed), edges, rng))
        order.append([node for nodes in small for node in nodes])
    row_width = max(10.0, 2.0 * float(np.sqrt(H.number_of_nodes())))
    placed: dict = {}
    for nodes, coords in zip(order, _pack(blocks, gap=1.5, row_width=row_width), strict=True):
        for node, (cx, cy) in zip(nodes, coords, strict=True):
            placed[node] = (float(cx * EDGE_LENGTH), float(cy * EDGE_LENGTH))
    return placed
