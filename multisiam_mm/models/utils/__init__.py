from .geometry import (box_area, box_intersection, box_iou, boxes_in_view, cell_centers, flip_back,
                       offset_map)
from .kmeans import batched_kmeans, cluster_means, farthest_point_init

__all__ = [
    'batched_kmeans', 'box_area', 'box_intersection', 'box_iou', 'boxes_in_view', 'cell_centers',
    'cluster_means', 'farthest_point_init', 'flip_back', 'offset_map'
]
