// libqrencode (Debian's libqrencode-dev, LGPL-2.1-or-later), wrapped for Swift.
// The kiosk only encodes: QRcode_encodeString, then reads `width` and `data`, then QRcode_free.
#include <qrencode.h>
