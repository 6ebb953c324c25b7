"""Positions for the page's graph, computed once in Python so the browser draws at once.

A force-directed layout in the manner of ForceAtlas2 (Jacomy et al., 2014):
linked entities attract in proportion to their distance, every pair repels in
proportion to the product of their degrees (plus one) over their distance, and
gravity keeps separate components together. All-pairs repulsion is what makes
such layouts slow on large graphs; here it is computed on a grid with the fast
Fourier transform (the "particle-mesh" method): masses are spread on a grid,
convolved with the kernel r/|r|², and the forces read back at each entity;
entities closer than a cell also repel each other directly. A step costs
O(n + g² log g) for n entities and a g × g grid: the 14,000 entities of 10,000
articles take about ten seconds on a busy 2-core machine, with numpy only.

The result depends only on the edges and the seed, never on the order of a set
or a hash, and is rounded, so that the same graph gives the same page.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["force_layout", "layout"]


def _kernels(g: int) -> tuple[np.ndarray, np.ndarray]:
    """The FFT of the repulsion kernel r/|r|² on a 2g × 2g grid, in grid units."""
    idx = np.fft.fftfreq(2 * g, 1 / (2 * g))  # 0, 1, …, g-1, -g, …, -1
    dx, dy = np.meshgrid(idx, idx, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = 1.0
    kx, ky = dx / r2, dy / r2
    kx[0, 0] = ky[0, 0] = 0.0
    return np.fft.rfft2(kx), np.fft.rfft2(ky)


def _repulsion(pos: np.ndarray, mass: np.ndarray, g: int, kernels) -> np.ndarray:
    """Σ_j m_j (p_i - p_j) / |p_i - p_j|² for every i, on a g × g grid (cloud in cell)."""
    lo = pos.min(axis=0)
    span = float((pos.max(axis=0) - lo).max()) or 1.0
    h = span / (g - 2)
    u = (pos - lo) / h
    i0 = np.floor(u).astype(np.int64)
    f = u - i0
    grid = np.zeros((2 * g, 2 * g))
    w = (
        (1 - f[:, 0]) * (1 - f[:, 1]),
        f[:, 0] * (1 - f[:, 1]),
        (1 - f[:, 0]) * f[:, 1],
        f[:, 0] * f[:, 1],
    )
    corners = ((0, 0), (1, 0), (0, 1), (1, 1))
    flat = grid.reshape(-1)
    for (cx, cy), wk in zip(corners, w, strict=True):
        flat += np.bincount(
            (i0[:, 0] + cx) * 2 * g + i0[:, 1] + cy, weights=wk * mass, minlength=flat.size
        )
    spectrum = np.fft.rfft2(grid)
    fx = np.fft.irfft2(spectrum * kernels[0], s=grid.shape).reshape(-1)
    fy = np.fft.irfft2(spectrum * kernels[1], s=grid.shape).reshape(-1)
    out = np.zeros_like(pos)
    for (cx, cy), wk in zip(corners, w, strict=True):
        at = (i0[:, 0] + cx) * 2 * g + i0[:, 1] + cy
        out[:, 0] += wk * fx[at]
        out[:, 1] += wk * fy[at]
    return out / h


def _near_pairs(pos: np.ndarray, h: float, limit: int) -> np.ndarray:
    """The pairs (i < j) of entities in the same or in adjacent cells of side ``h``.

    None when there would be more than ``limit`` candidate pairs (a crowd, early on).
    """
    cell = np.floor(pos / h).astype(np.int64)
    cell -= cell.min(axis=0) - 1  # a free row and column on every side
    width = int(cell[:, 1].max()) + 2
    key = cell[:, 0] * width + cell[:, 1]
    counts = np.bincount(key, minlength=(int(cell[:, 0].max()) + 2) * width)
    starts = np.cumsum(counts) - counts
    order = np.argsort(key, kind="stable")
    out = []
    total = 0
    for dx, dy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):  # each pair of cells once
        want = key + dx * width + dy
        n_j = counts[want]
        total += int(n_j.sum())
        if total > limit:
            return np.zeros((0, 2), dtype=np.int64)
        i = np.nonzero(n_j)[0]
        n_j = n_j[i]
        ii = np.repeat(i, n_j)
        first = np.repeat(starts[want[i]], n_j)
        offset = np.arange(len(ii)) - np.repeat(np.cumsum(n_j) - n_j, n_j)
        jj = order[first + offset]
        keep = ii < jj if (dx, dy) == (0, 0) else ii != jj
        out.append(np.column_stack((ii[keep], jj[keep])))
    return np.concatenate(out)


def _scatter(force: np.ndarray, pairs: np.ndarray, push: np.ndarray) -> None:
    """Add ``push`` to the first entity of each pair and take it from the second."""
    n = len(force)
    for k in (0, 1):
        force[:, k] += np.bincount(pairs[:, 0], push[:, k], n) - np.bincount(
            pairs[:, 1], push[:, k], n
        )


def force_layout(
    n: int,
    edges: Sequence[tuple[int, int]],
    *,
    seed: int = 7,
    iterations: int | None = None,
    scale: float = 40.0,
    spread: float = 0.6,
) -> np.ndarray:
    """Positions of ``n`` entities joined by ``edges``, as an ``n`` × 2 array.

    Args:
        n (int): the number of entities, numbered 0 … n-1.
        edges (pairs of int): the links; repeated pairs pull harder, loops are ignored.
        seed (int): the seed of the starting positions.
        iterations (int): steps of the simulation (default: fewer on big graphs).
        scale (float): the typical distance between two linked entities, in pixels.
        spread (float): how far apart the groups of entities are (gravity's inverse).

    RETURNS:
        ndarray: the x and y of each entity, rounded to tenths, centred on 0.

    >>> pos = force_layout(4, [(0, 1), (1, 2), (2, 3)], seed=1)
    >>> pos.shape, bool(abs(pos.mean(axis=0)).max() < 1)
    ((4, 2), True)
    >>> (force_layout(4, [(0, 1), (1, 2), (2, 3)], seed=1) == pos).all()
    np.True_
    """
    if n <= 1:
        return np.zeros((n, 2))
    e = np.array([(a, b) for a, b in edges if a != b], dtype=np.int64).reshape(-1, 2)
    deg = np.bincount(e.reshape(-1), minlength=n).astype(float)
    mass = deg + 1.0
    kr = scale * scale / 4  # linked leaves settle about `scale` apart
    kg = 1.0 / (4.0 * spread * spread)  # linear gravity: a disc of radius ~ scale √(Σ mass)
    rng = np.random.default_rng(seed)
    radius = scale * np.sqrt(mass.sum()) * spread
    angle = rng.uniform(0, 2 * np.pi, n)
    r = radius * np.sqrt(rng.uniform(0, 1, n))
    pos = np.column_stack((r * np.cos(angle), r * np.sin(angle)))
    if iterations is None:
        iterations = 300 if n <= 5_000 else 200
    g = int(min(256, max(32, 2 ** np.ceil(np.log2(np.sqrt(n))))))
    kernels = _kernels(g)
    speed = radius / 10
    for it in range(iterations):
        force = kr * mass[:, None] * _repulsion(pos, mass, g, kernels)
        span = float((pos.max(axis=0) - pos.min(axis=0)).max()) or 1.0
        h = max(span / (g - 2), scale / 4)
        pairs = _near_pairs(pos, h, 40 * n)
        if len(pairs):
            d = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            dd = np.maximum((d * d).sum(axis=1), 1e-4)
            dist = np.sqrt(dd)
            near = dist < h
            mag = (
                kr
                * mass[pairs[:, 0]]
                * mass[pairs[:, 1]]
                * np.where(near, 1 / dist - 1 / h, 0)
                / dist
            )
            _scatter(force, pairs, d * mag[:, None])
        if len(e):
            _scatter(force, e, pos[e[:, 1]] - pos[e[:, 0]])
        force -= kg * mass[:, None] * pos
        step = force / mass[:, None]
        length = np.sqrt((step * step).sum(axis=1)) + 1e-9
        cap = speed * (1 - it / iterations) ** 2 + scale / 50
        pos += step * np.minimum(1.0, cap / length)[:, None]
    pos -= pos.mean(axis=0)
    return np.round(pos, 1)


def layout(
    n: int, edges: Sequence[tuple[int, int]], *, scale: float = 90.0, seed: int = 7
) -> list[tuple[int, int]]:
    """Whole-pixel positions of ``n`` entities: linked ones by ``force_layout``, the rest in rows.

    Entities without any link are set out in a block of rows below the others,
    in their order, so that showing or hiding them moves nothing else.

    Args:
        n (int): the number of entities, numbered 0 … n-1.
        edges (pairs of int): the links (in either direction, repeated or not).
        scale (float): the typical distance between two linked entities, in pixels.
        seed (int): the seed of the starting positions.

    RETURNS:
        list: an ``(x, y)`` pair of ints for each entity.

    >>> layout(3, [])  # nobody linked: one row
    [(-144, 0), (0, 0), (144, 0)]
    >>> a, b, c = layout(3, [(0, 1)])
    >>> c[1] > max(a[1], b[1])  # the lone entity below the pair
    True
    """
    linked = sorted({i for pair in edges for i in pair if pair[0] != pair[1]})
    index = {v: k for k, v in enumerate(linked)}
    pos = force_layout(
        len(linked),
        [(index[a], index[b]) for a, b in edges if a != b],
        seed=seed,
        scale=scale,
    )
    out = [(0, 0)] * n
    for v, (x, y) in zip(linked, pos.tolist(), strict=True):
        out[v] = (round(x), round(y))
    alone = [i for i in range(n) if i not in index]
    if alone:
        cols = int(np.ceil(np.sqrt(len(alone) * 4)))  # a block four times as wide as high
        dx, dy = round(1.6 * scale), round(0.7 * scale)  # room for a label under each
        top = round(pos[:, 1].max()) + 2 * dy + round(scale) if len(linked) else 0
        left = -(min(cols, len(alone)) - 1) * dx // 2
        for k, i in enumerate(alone):
            out[i] = (left + (k % cols) * dx, top + (k // cols) * dy)
    return out
