import factory
from django.contrib.auth import get_user_model

from qms.core.models import AdministrativeProcedure, Membership, OnlineLevel, ProcedureLevel, Unit, UnitKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Hoa"
    last_name = "Nguyễn Thị"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.django.Password("pw")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    kind = UnitKind.COMMUNE
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    code = factory.Sequence(lambda n: f"T{n:05d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)


class AdministrativeProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeProcedure

    code = factory.Sequence(lambda n: f"TEST-{n:03d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    field = "Hộ tịch"
    level = ProcedureLevel.COMMUNE
    online_level = OnlineLevel.NONE
    processing_days = 3
