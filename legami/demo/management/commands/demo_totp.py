import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from legami.demo.seed import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo accounts."

    def handle(self, *args, **options):
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30)))
