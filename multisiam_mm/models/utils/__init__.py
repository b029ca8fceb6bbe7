from .geometry import (box_area, box_intersection, box_iou, boxes_in_view, cell_centers,  # noqa: F401
                       flip_back, offset_map)
