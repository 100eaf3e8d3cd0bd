from . import test_sale_coupon
