"""Geometry shared by the data pipeline and the model: boxes, feature-map coordinates, flips."""
from .geometry import (box_area, box_intersection, box_iou, boxes_in_view, cell_centers, flip_back,
                       offset_map)

__all__ = ['box_area', 'box_intersection', 'box_iou', 'boxes_in_view', 'cell_centers', 'flip_back', 'offset_map']
