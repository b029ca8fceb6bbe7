"""Aligning the two views' maps over their overlap (Sec. 3.2, Eq. 3-7): RoI alignment, offset alignment, none."""
from .base_alignment import AlignedPair, BaseAlignment
from .no_alignment import NoAlignment
from .offset_alignment import OffsetAlignment
from .roi_alignment import RoIAlignment

__all__ = ['AlignedPair', 'BaseAlignment', 'NoAlignment', 'OffsetAlignment', 'RoIAlignment']
