"""Input checking and the broadcasting contract shared by every model function.

Two rules hold across availcalc:

* **Invalid input raises** :class:`ValueError` whose message names the parameter, the offending
  value and the valid range, e.g. ``servers must be an integer >= 1; got 2.5``. For arrays the
  first offending element and its index are reported.
* **Numeric arguments broadcast.** A function accepts floats, ints, numpy arrays and pandas
  Series. Scalars in give a ``float`` out, arrays give an ``ndarray`` of the broadcast shape,
  and a Series gives a Series with the same index (see :func:`wrap_like`).

The checks have a fast path for plain Python numbers: a single call on floats costs well under a
microsecond per parameter, so the plain-float paths of the models stay cheap.
"""

from __future__ import annotations

import math
import reprlib
import sys
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "as_float_array",
    "broadcast",
    "check_choice",
    "check_finite",
    "check_fraction",
    "check_integer",
    "check_nonnegative",
    "check_positive",
    "check_probability",
    "check_type",
    "is_scalar",
    "scalar",
    "sequence",
    "wrap_like",
]

#: Integers beyond the largest double do not fit one (``float(10**400)`` overflows).
_MAX_INT = int(sys.float_info.max)


def is_scalar(x: Any) -> bool:
    """Return True for a plain Python / numpy scalar (not a bool, not an array)."""
    return (isinstance(x, Real) and not isinstance(x, bool)) or (
        isinstance(x, np.ndarray) and x.ndim == 0
    )


def _fmt(x: Any) -> str:
    return repr(float(x)) if isinstance(x, (float, np.floating)) else _short(x)


def _first_bad(name: str, arr: np.ndarray, bad: np.ndarray, rule: str) -> ValueError:
    idx = np.flatnonzero(bad)[0]
    val = arr.ravel()[idx]
    where = f" (element {idx} of the array)" if arr.size > 1 else ""
    return ValueError(f"{name} must be {rule}; got {_fmt(val)}{where}")


class _ShortRepr(reprlib.Repr):
    """reprlib's repr, cut to a few items, levels and characters; a huge integer is described."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxstring, self.maxother = 3, 60, 60

    def repr_int(self, x: int, level: int) -> str:
        if abs(x) < 10**40:
            return repr(x)
        return f"an integer of {int(math.log10(abs(x))) + 1} digits"  # repr() may refuse it


_SHORT = _ShortRepr()


def _short(value: Any) -> str:
    """Return a value's repr for a message: one short line, also for deep or huge values.

    Examples
    --------
    >>> _short("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
    >>> _short([10**400])
    '[an integer of 401 digits]'
    """
    text = _SHORT.repr(value)
    return text if text.isprintable() else " ".join(text.split())  # a Series' repr: lines


def _to_float_array(name: str, x: Any) -> np.ndarray:
    if isinstance(x, (bool, np.bool_, str, bytes)) or x is None:
        raise ValueError(f"{name} must be a number; got {_short(x)}")
    try:
        arr = np.asarray(x, dtype=float)
    except OverflowError:
        raise ValueError(
            f"{name} must be a number a double can hold (|x| < 1.8e308); got {_short(x)}"
        ) from None
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric; got {_short(x)}") from None
    return arr


def scalar(name: str, x: Any, check: Callable[..., None] | None = None, **kwargs: Any) -> float:
    """Return ``x`` as one float, checked by ``check(name, value, **kwargs)`` if given.

    The one way a parameter that must be a single number is taken: a list, an array with more
    than one element, a Series, a string, None, NA, a complex number or an integer too large
    for a double (``10**400``) raise :class:`ValueError` naming the parameter and the value,
    never a ``TypeError`` or ``OverflowError`` from ``float()``.

    Examples
    --------
    >>> scalar("mttf_h", 10, check_positive)
    10.0
    >>> scalar("mttf_h", [1, 2])
    Traceback (most recent call last):
    ...
    ValueError: mttf_h must be a single number; got [1, 2]
    """
    if type(x) is not float:
        arr = _to_float_array(name, x)
        if arr.ndim != 0:
            raise ValueError(f"{name} must be a single number; got {_short(x)}")
        x = float(arr)
    if check is not None:
        check(name, x, **kwargs)
    return x


def _check(
    name: str,
    x: Any,
    ok: Callable[[float], bool],
    vec_bad: Callable[[np.ndarray], np.ndarray],
    rule: str,
) -> None:
    if type(x) is float or (type(x) is int and -_MAX_INT <= x <= _MAX_INT):
        if not ok(x):
            raise ValueError(f"{name} must be {rule}; got {_fmt(x)}")
        return
    arr = _to_float_array(name, x)
    with np.errstate(invalid="ignore"):
        bad = vec_bad(arr) | np.isnan(arr)
    if bad.any():
        raise _first_bad(name, arr, bad, rule)


def check_positive(name: str, x: Any, *, allow_inf: bool = False) -> None:
    """Require ``0 < x`` (and finite unless ``allow_inf``); NaN is rejected.

    Raises
    ------
    ValueError
        Naming ``name``, the offending value and the valid range.
    """
    if allow_inf:
        _check(name, x, lambda v: v > 0, lambda a: ~(a > 0), "> 0")
    else:
        _check(
            name,
            x,
            lambda v: 0 < v < math.inf,
            lambda a: ~((a > 0) & np.isfinite(a)),
            "a finite number > 0",
        )


def check_nonnegative(name: str, x: Any, *, allow_inf: bool = False) -> None:
    """Require ``0 <= x`` (and finite unless ``allow_inf``); NaN is rejected."""
    if allow_inf:
        _check(name, x, lambda v: v >= 0, lambda a: ~(a >= 0), ">= 0")
    else:
        _check(
            name,
            x,
            lambda v: 0 <= v < math.inf,
            lambda a: ~((a >= 0) & np.isfinite(a)),
            "a finite number >= 0",
        )


def check_finite(name: str, x: Any) -> None:
    """Require a finite number (no NaN, no inf)."""
    _check(name, x, math.isfinite, lambda a: ~np.isfinite(a), "a finite number")


def check_probability(name: str, x: Any) -> None:
    """Require ``0 < x < 1`` (a quantile level or a tail probability target)."""
    _check(
        name, x, lambda v: 0 < v < 1, lambda a: ~((a > 0) & (a < 1)), "in the open interval (0, 1)"
    )


def check_fraction(name: str, x: Any) -> None:
    """Require ``0 <= x <= 1`` (a coverage, an availability)."""
    _check(
        name,
        x,
        lambda v: 0 <= v <= 1,
        lambda a: ~((a >= 0) & (a <= 1)),
        "in the closed interval [0, 1]",
    )


def check_integer(name: str, x: Any, minimum: int = 1, maximum: int | None = None) -> None:
    """Require an integer value ``minimum <= x (<= maximum)``; floats like ``3.0`` are accepted."""
    rule = (
        f"an integer >= {minimum}" if maximum is None else f"an integer in [{minimum}, {maximum}]"
    )
    hi = math.inf if maximum is None else maximum
    if isinstance(x, Integral) and not isinstance(x, bool):
        if not (minimum <= x <= hi):
            raise ValueError(f"{name} must be {rule}; got {_short(x)}")
        if not -_MAX_INT <= x <= _MAX_INT:
            raise ValueError(
                f"{name} must be {rule} that a double holds (< 1.8e308); got {_short(x)}"
            )
        return
    if type(x) is float:
        if not (math.isfinite(x) and x == int(x) and minimum <= x <= hi):
            raise ValueError(f"{name} must be {rule}; got {_fmt(x)}")
        return
    arr = _to_float_array(name, x)
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(arr) & (arr == np.round(arr)) & (arr >= minimum) & (arr <= hi))
    if bad.any():
        raise _first_bad(name, arr, bad, rule)


def broadcast(
    *args: Any, names: tuple[str, ...] = ()
) -> tuple[list[np.ndarray], Callable[[np.ndarray], Any]]:
    """Broadcast numeric arguments to float arrays and return a function restoring the type.

    Parameters
    ----------
    *args : numeric
        Floats, ints, numpy arrays or pandas Series.
    names : tuple of str, optional
        The parameter names of ``args``, for the error messages.

    Returns
    -------
    arrays : list of ndarray
        The arguments as float64 arrays of the common broadcast shape.
    wrap : callable
        ``wrap(result_array)`` gives a ``float`` if every argument was scalar, a Series carrying
        the index of the first Series argument if there was one, else the array itself.

    Raises
    ------
    ValueError
        If an argument is not numeric, or the shapes do not broadcast (a Series must keep its
        own length), naming the parameters and their shapes.

    Examples
    --------
    >>> (a, b), wrap = broadcast(2.0, [1.0, 3.0])
    >>> wrap(a * b)
    array([2., 6.])
    >>> (a,), wrap = broadcast(4)
    >>> wrap(a / 2)
    2.0
    >>> broadcast([1.0, 2.0], [1.0, 2.0, 3.0], names=("servers", "offered_load"))
    Traceback (most recent call last):
    ...
    ValueError: servers and offered_load must have shapes that broadcast together; got (2,) and (3,)
    """
    labels = tuple(names) + tuple(f"argument {i + 1}" for i in range(len(names), len(args)))
    arrays = [_to_float_array(n, a) for n, a in zip(labels, args, strict=True)]
    try:
        out = np.broadcast_arrays(*arrays)
    except ValueError:
        out = None
    series = [a for a in args if isinstance(a, pd.Series)]
    if out is None or (series and out[0].shape != (len(series[0]),)):
        shapes = [str(a.shape) for a in arrays]
        raise ValueError(
            f"{', '.join(labels[:-1])} and {labels[-1]} must have shapes that broadcast together"
            + (" (a Series keeps its own length)" if series else "")
            + f"; got {', '.join(shapes[:-1])} and {shapes[-1]}"
        )
    return list(out), wrap_like(*args)


def as_float_array(name: str, x: Any) -> np.ndarray:
    """Return ``x`` as a float array, or raise :class:`ValueError` naming ``name``.

    The one conversion for array-valued arguments (times, quantile levels): strings, None,
    bools, NA, complex numbers and integers too large for a double are refused by name, never
    with a ``TypeError`` or ``OverflowError`` from numpy.

    Examples
    --------
    >>> as_float_array("t_h", [0, 1.5])
    array([0. , 1.5])
    >>> as_float_array("t_h", "soon")
    Traceback (most recent call last):
    ...
    ValueError: t_h must be a number; got 'soon'
    """
    return _to_float_array(name, x)


def check_choice(name: str, x: Any, choices: Any, note: str = "") -> None:
    """Require ``x`` to be one of ``choices`` (strings: a metric key, a handler kind).

    The message lists the choices on one line and adds ``note`` (e.g. a close match).

    Examples
    --------
    >>> check_choice("metric", ["a"], ("availability", "nines"))
    Traceback (most recent call last):
    ...
    ValueError: metric must be one of availability, nines; got ['a']
    """
    if not isinstance(x, str) or x not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {_short(x)}{note}")


def check_type(name: str, x: Any, cls: type | tuple[type, ...], what: str | None = None) -> None:
    """Require ``isinstance(x, cls)``; else raise :class:`ValueError` naming ``name``.

    Examples
    --------
    >>> check_type("scenario", 3.0, dict, "a scenario")
    Traceback (most recent call last):
    ...
    ValueError: scenario must be a scenario; got 3.0
    """
    if not isinstance(x, cls):
        if what is None:
            kinds = cls if isinstance(cls, tuple) else (cls,)
            what = "a " + " or ".join(k.__name__ for k in kinds)
        raise ValueError(f"{name} must be {what}; got {_short(x)}")


def sequence(name: str, x: Any, min_size: int = 1) -> list[Any]:
    """Return ``x`` as a list (a list, tuple, array, Series or other iterable, not a string).

    Raises
    ------
    ValueError
        If ``x`` is a single value or a string, or has fewer than ``min_size`` items, naming
        ``name`` (a wrong type is bad input like any other: one exception type for all).

    Examples
    --------
    >>> sequence("durations_s", (1.0, 2.0))
    [1.0, 2.0]
    >>> sequence("durations_s", 3)
    Traceback (most recent call last):
    ...
    ValueError: durations_s must be a sequence (a list, tuple or array); got 3
    """
    if isinstance(x, (str, bytes, dict)) or not hasattr(x, "__iter__"):
        raise ValueError(f"{name} must be a sequence (a list, tuple or array); got {_short(x)}")
    items = list(np.ravel(x)) if isinstance(x, np.ndarray) and x.ndim > 1 else list(x)
    if len(items) < min_size:
        least = "one item" if min_size == 1 else f"{min_size} items"
        raise ValueError(f"{name} must have at least {least}; got {_short(x)}")
    return items


def wrap_like(*args: Any) -> Callable[[np.ndarray], Any]:
    """Return a function that converts a result array to the type implied by ``args``."""
    series = next((a for a in args if isinstance(a, pd.Series)), None)
    if series is not None:
        index = series.index

        def _series(r: np.ndarray) -> Any:
            return pd.Series(np.asarray(r, dtype=float), index=index)

        return _series
    if all(np.ndim(a) == 0 for a in args):  # numbers of any type (Decimal, Fraction, 0-d)

        def _float(r: np.ndarray) -> Any:
            return float(np.asarray(r).reshape(()))

        return _float

    def _array(r: np.ndarray) -> Any:
        return np.asarray(r)

    return _array
